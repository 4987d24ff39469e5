"""``newsbot db copy SOURCE TARGET``: carry a bot's settings to another database (SQLite → PostgreSQL).

The target is migrated to head first; the source is only read (it must be at head too). Copied:
workspace settings, workspace topics, subscriptions (with each one's latest ledger slot, so that the
scheduler does not post a catch-up digest for a slot the old bot already served), feeds and outlet
mutes, Slack installations (``slack_installations``, ``slack_bots``) and ``platform_state``.
Articles are not copied (feeds re-fetch them: copied feeds start as new, so their first poll is a
backfill that floods no digest) unless ``with_articles``, which copies stories, articles and feed
items too, keeping their ids. Slack OAuth states are transient and never copied; the status index is
rebuilt by the target at its first start.

Idempotent: a row whose natural key is already in the target is skipped, so a second run copies
nothing. Stop the old bot before copying (deliveries it is posting meanwhile are not carried over).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from digests.errors import ConfigError
from digests.store.engine import (
    DatabaseUrlError,
    async_database_url,
    create_engine,
    current_revision,
    head_revision,
    upgrade,
)
from digests.store.slack_tables import slack_bots, slack_installations
from digests.store.tables import (
    ArticleRow,
    DeliveryRow,
    FeedItemRow,
    FeedRow,
    OutletMuteRow,
    PlatformStateRow,
    StoryRow,
    SubscriptionRow,
    WorkspaceRow,
    WorkspaceTopicRow,
)

__all__ = ["CopyReport", "copy_database"]

_SKIPPED_STATE_KEYS = ("status_index.",)  # derived from the articles: the target rebuilds it
_SUB_KEY = ("platform", "workspace_id", "channel_id", "topic_id")
_FEED_KEY = ("url", "owner_platform", "owner_workspace")


@dataclass
class CopyReport:
    """Rows copied and rows skipped (already present), by table."""

    copied: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, copied: int, skipped: int) -> None:
        self.copied[table] = self.copied.get(table, 0) + copied
        self.skipped[table] = self.skipped.get(table, 0) + skipped

    def summary(self) -> str:
        return ", ".join(
            f"{name}: {self.copied[name]} copied, {self.skipped.get(name, 0)} already there" for name in self.copied
        )


def _key(row: Any, columns: Sequence[str]) -> tuple[Any, ...]:
    return tuple(getattr(row, c) for c in columns)


async def _rows(conn: AsyncConnection, table: Table) -> list[Any]:
    return list((await conn.execute(select(table))).all())


async def _copy_by_key(
    src: AsyncConnection,
    dst: AsyncConnection,
    table: Table,
    key: Sequence[str],
    report: CopyReport,
    *,
    drop: Iterable[str] = (),
    rows: list[Any] | None = None,
) -> None:
    """Insert every source row whose ``key`` the target lacks; ``drop`` columns (surrogate ids)."""
    present = {_key(r, key) for r in (await dst.execute(select(*(table.c[c] for c in key)))).all()}
    dropped = set(drop)
    new: list[dict[str, Any]] = []
    skipped = 0
    for row in rows if rows is not None else await _rows(src, table):
        k = _key(row, key)
        if k in present:
            skipped += 1
            continue
        present.add(k)
        new.append({c: v for c, v in row._mapping.items() if c not in dropped})
    if new:
        await dst.execute(table.insert(), new)
    report.add(table.name, len(new), skipped)


async def _id_map(src: AsyncConnection, dst: AsyncConnection, table: Table, key: Sequence[str]) -> dict[int, int]:
    """Source id → target id of rows with the same natural key."""
    cols = [table.c.id, *(table.c[c] for c in key)]
    target = {tuple(r[1:]): r[0] for r in (await dst.execute(select(*cols))).all()}
    return {
        int(r[0]): int(target[tuple(r[1:])]) for r in (await src.execute(select(*cols))).all() if tuple(r[1:]) in target
    }


async def _reset_sequences(dst: AsyncConnection, tables: Iterable[Table]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if dst.dialect.name != "postgresql":
        return
    for table in tables:
        await dst.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


async def _copy_articles(src: AsyncConnection, dst: AsyncConnection, report: CopyReport) -> None:
    for table in (StoryRow.__table__, ArticleRow.__table__):
        assert isinstance(table, Table)
        present = {i for (i,) in (await dst.execute(select(table.c.id))).all()}
        new = []
        skipped = 0
        for row in await _rows(src, table):
            if row.id in present:
                skipped += 1
                continue
            new.append(dict(row._mapping))
        if table.name == "articles" and new:  # one article per canonical URL: never a second copy
            urls = {u for (u,) in (await dst.execute(select(table.c.url).where(table.c.url.is_not(None)))).all()}
            clash = [r["url"] for r in new if r["url"] in urls]
            if clash:
                raise ConfigError(
                    "target", "articles", f"{len(clash)} articles already stored there under other ids ({clash[0]})"
                )
        if new:
            await dst.execute(table.insert(), new)
        report.add(table.name, len(new), skipped)


async def copy_database(source_url: str, target_url: str, *, with_articles: bool = False) -> CopyReport:
    """Migrate the target to head and copy the settings (see the module docstring)."""
    for key, url in (("SOURCE_URL", source_url), ("TARGET_URL", target_url)):
        try:
            async_database_url(url)
        except DatabaseUrlError as exc:
            raise ConfigError("db copy", key, str(exc)) from None
    if async_database_url(source_url) == async_database_url(target_url):
        raise ConfigError("db copy", "TARGET_URL", "is the source itself")
    source, target = create_engine(source_url), create_engine(target_url)
    report = CopyReport()
    try:
        found = await current_revision(source)
        if found != head_revision():
            raise ConfigError(
                "db copy",
                "SOURCE_URL",
                f"is at revision {found or 'none'}, not {head_revision()}: run `newsbot db upgrade` on it first",
            )
        await upgrade(target)
        async with source.connect() as src, target.begin() as dst:
            await _copy(src, dst, report, with_articles)
    finally:
        await source.dispose()
        await target.dispose()
    return report


async def _copy(src: AsyncConnection, dst: AsyncConnection, report: CopyReport, with_articles: bool) -> None:
    def t(row_class: Any) -> Table:
        table = row_class.__table__
        assert isinstance(table, Table)
        return table

    await _copy_by_key(src, dst, t(WorkspaceRow), ("platform", "workspace_id"), report)
    await _copy_by_key(src, dst, t(WorkspaceTopicRow), ("platform", "workspace_id", "topic_id"), report)
    await _copy_by_key(src, dst, t(OutletMuteRow), ("platform", "workspace_id", "outlet"), report)
    states = [r for r in await _rows(src, t(PlatformStateRow)) if not r.key.startswith(_SKIPPED_STATE_KEYS)]
    await _copy_by_key(src, dst, t(PlatformStateRow), ("key",), report, rows=states)
    await _copy_by_key(
        src, dst, slack_installations, ("client_id", "enterprise_id", "team_id", "user_id", "installed_at"), report,
        drop=("id",),
    )  # fmt: skip
    await _copy_by_key(
        src, dst, slack_bots, ("client_id", "enterprise_id", "team_id", "installed_at"), report, drop=("id",)
    )

    # subscriptions, and each one's latest ledger row (the scheduler's watermark)
    subs = t(SubscriptionRow)
    await _copy_by_key(src, dst, subs, _SUB_KEY, report, drop=("id",))
    sub_ids = await _id_map(src, dst, subs, _SUB_KEY)
    deliveries = t(DeliveryRow)
    have = {
        (r.subscription_id, r.slot)
        for r in (await dst.execute(select(deliveries.c.subscription_id, deliveries.c.slot)))
    }
    latest = select(deliveries.c.subscription_id, func.max(deliveries.c.slot).label("slot")).group_by(
        deliveries.c.subscription_id
    )
    last = {(r.subscription_id, r.slot) for r in (await src.execute(latest)).all()}
    new_deliveries = []
    for row in await _rows(src, deliveries):
        if (row.subscription_id, row.slot) not in last or row.subscription_id not in sub_ids:
            continue
        values = {c: v for c, v in row._mapping.items() if c != "id"}
        values["subscription_id"] = sub_ids[row.subscription_id]
        if (values["subscription_id"], row.slot) in have:
            continue
        if not with_articles:
            values["story_ids"] = []  # they name stories the target does not have
        new_deliveries.append(values)
    if new_deliveries:
        await dst.execute(deliveries.insert(), new_deliveries)
    report.add("deliveries", len(new_deliveries), len(last) - len(new_deliveries))

    # feeds: without the articles they start over (a full first fetch, a backfill, no stale ETag)
    feeds = t(FeedRow)
    feed_rows = await _rows(src, feeds)
    if not with_articles:
        now = datetime.now(UTC)
        reset = {
            "etag": None, "last_modified": None, "state": "new", "failures": 0, "last_error": None,
            "last_success": None, "last_attempt": None, "next_poll": now, "item_count": 0,
        }  # fmt: skip
        feed_rows = [_Row({**row._mapping, **reset}) for row in feed_rows]
    await _copy_by_key(src, dst, feeds, _FEED_KEY, report, drop=("id",), rows=feed_rows)
    if with_articles:
        await _copy_articles(src, dst, report)
        feed_ids = await _id_map(src, dst, feeds, _FEED_KEY)
        items = t(FeedItemRow)
        rows = [
            _Row({**r._mapping, "feed_id": feed_ids[r.feed_id]})
            for r in await _rows(src, items)
            if r.feed_id in feed_ids
        ]
        await _copy_by_key(src, dst, items, ("feed_id", "article_id"), report, rows=rows)
        await _reset_sequences(dst, (t(StoryRow), t(ArticleRow)))


class _Row:
    """A row with some values replaced (attribute access and ``_mapping``, like a SQLAlchemy row)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._mapping = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._mapping[name]
        except KeyError:
            raise AttributeError(name) from None
