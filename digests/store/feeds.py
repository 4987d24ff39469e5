"""Feed storage: the feeds polled (config ones and workspace ones), their poll state, and mutes."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.store.scope import Scope
from digests.store.tables import FeedRow, OutletMuteRow

__all__ = ["CONFIG", "ConfigFeed", "Feed", "FeedExists", "FeedState", "FeedStore"]

CONFIG = "config"  # added_by of the feeds synced from config/feeds.toml


class FeedState:
    NEW = "new"  # never polled
    OK = "ok"
    ERROR = "error"  # failed lately, backing off
    FAILING = "failing"  # failed N times in a row: retried slowly


class FeedExists(Exception):
    """The same URL is already a feed for that owner."""


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    name: str
    label: str | None
    owner: Scope | None  # None: from config/feeds.toml, serving every workspace
    interval_seconds: int
    etag: str | None
    last_modified: str | None
    state: str
    failures: int
    last_error: str | None
    last_success: datetime | None
    next_poll: datetime
    item_count: int

    @property
    def first_poll(self) -> bool:
        return self.last_success is None and self.item_count == 0


@dataclass(frozen=True, slots=True)
class ConfigFeed:
    url: str
    name: str
    label: str | None = None
    interval_seconds: int = 900


def _feed(row: FeedRow) -> Feed:
    owner = (row.owner_platform, row.owner_workspace) if row.owner_platform and row.owner_workspace else None
    return Feed(
        row.id, row.url, row.name, row.label, owner, row.interval_seconds, row.etag, row.last_modified, row.state,
        row.failures, row.last_error, row.last_success, row.next_poll, row.item_count,
    )  # fmt: skip


def _owner_is(owner: Scope | None):  # type: ignore[no-untyped-def]
    if owner is None:
        return (FeedRow.owner_platform.is_(None), FeedRow.owner_workspace.is_(None))
    return (FeedRow.owner_platform == owner[0], FeedRow.owner_workspace == owner[1])


class FeedStore:
    """Port for feeds: ``add``, ``get``, ``find``, ``list``, ``remove``, ``due``, poll results, mutes."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(
        self,
        url: str,
        name: str,
        *,
        owner: Scope | None,
        now: datetime,
        label: str | None = None,
        interval_seconds: int = 900,
        added_by: str | None = None,
    ) -> Feed:
        """Store a new feed, due at once; ``FeedExists`` if that owner already has the URL."""
        if await self.find(url, owner) is not None:
            raise FeedExists(url)
        row = FeedRow(
            url=url, name=name[:200], label=label, owner_platform=owner[0] if owner else None,
            owner_workspace=owner[1] if owner else None, added_by=added_by, interval_seconds=interval_seconds,
            state=FeedState.NEW, failures=0, next_poll=now, item_count=0, created_at=now,
        )  # fmt: skip
        async with self._sessions() as session:
            session.add(row)
            try:
                await session.commit()
            except IntegrityError:
                raise FeedExists(url) from None
            return _feed(row)

    async def get(self, feed_id: int) -> Feed | None:
        async with self._sessions() as session:
            row = await session.get(FeedRow, feed_id)
            return _feed(row) if row else None

    async def claim(self, feed_id: int, now: datetime) -> Feed | None:
        """Take the feed's current interval for one poll: when it is due, move its next poll a
        whole interval ahead before fetching (compare-and-set on the old value, so of several
        workers only one wins) and return it; None when it is not due or is gone. A worker killed
        mid-poll thus costs one interval's delay, never a second poll in the same interval."""
        feed = await self.get(feed_id)
        if feed is None or feed.next_poll > now:
            return None
        async with self._sessions() as session:
            result = await session.execute(
                update(FeedRow)
                .where(FeedRow.id == feed_id, FeedRow.next_poll == feed.next_poll)
                .values(next_poll=now + timedelta(seconds=feed.interval_seconds))
            )
            await session.commit()
        return feed if getattr(result, "rowcount", 0) == 1 else None

    async def find(self, url: str, owner: Scope | None) -> Feed | None:
        """The feed with this URL owned by ``owner`` (None: the config feed)."""
        async with self._sessions() as session:
            query = select(FeedRow).where(FeedRow.url == url, *_owner_is(owner))
            row = (await session.execute(query.limit(1))).scalar_one_or_none()
            return _feed(row) if row else None

    async def list(self, scope: Scope | None = None, *, everything: bool = False) -> builtins.list[Feed]:
        """Config feeds plus ``scope``'s own feeds; ``everything`` lists every workspace's too."""
        query = select(FeedRow).order_by(FeedRow.id)
        if not everything:
            mine = (
                (FeedRow.owner_platform == scope[0]) & (FeedRow.owner_workspace == scope[1])
                if scope
                else FeedRow.id.is_(None)
            )
            query = query.where(or_(FeedRow.owner_platform.is_(None), mine))
        async with self._sessions() as session:
            rows: Sequence[FeedRow] = (await session.execute(query)).scalars().all()
            return [_feed(r) for r in rows]

    async def remove(self, feed_id: int) -> bool:
        async with self._sessions() as session:
            result = await session.execute(delete(FeedRow).where(FeedRow.id == feed_id))
            await session.commit()
            return bool(getattr(result, "rowcount", 0))

    async def due(self, now: datetime, *, everything: bool = False) -> builtins.list[Feed]:
        """Feeds whose next poll has come (every feed with ``everything``), soonest first."""
        query = select(FeedRow).order_by(FeedRow.next_poll, FeedRow.id)
        if not everything:
            query = query.where(FeedRow.next_poll <= now)
        async with self._sessions() as session:
            return [_feed(r) for r in (await session.execute(query)).scalars().all()]

    async def record_success(
        self, feed_id: int, *, now: datetime, next_poll: datetime, etag: str | None, last_modified: str | None,
        new_items: int,
    ) -> None:  # fmt: skip
        """A poll worked (200 or 304): clear the failures and schedule the next one."""
        async with self._sessions() as session:
            row = await session.get(FeedRow, feed_id)
            if row is None:
                return
            row.state, row.failures, row.last_error = FeedState.OK, 0, None
            row.last_success = row.last_attempt = now
            row.next_poll = next_poll
            row.etag, row.last_modified = etag or row.etag, last_modified or row.last_modified
            row.item_count += new_items
            await session.commit()

    async def record_failure(
        self, feed_id: int, *, now: datetime, next_poll: datetime, error: str, failing_after: int
    ) -> int:
        """A poll failed: count it, keep the reason, back off; returns the failures in a row."""
        async with self._sessions() as session:
            row = await session.get(FeedRow, feed_id)
            if row is None:
                return 0
            row.failures += 1
            row.state = FeedState.FAILING if row.failures >= failing_after else FeedState.ERROR
            row.last_error, row.last_attempt, row.next_poll = error[:2000], now, next_poll
            await session.commit()
            return row.failures

    async def sync_config(self, feeds: builtins.list[ConfigFeed], *, now: datetime) -> tuple[int, int]:
        """Make the config feeds in the database match ``config/feeds.toml``; (added, removed)."""
        wanted = {f.url: f for f in feeds}
        added = removed = 0
        async with self._sessions() as session:
            query = select(FeedRow).where(*_owner_is(None))
            for row in (await session.execute(query)).scalars().all():
                spec = wanted.pop(row.url, None)
                if row.added_by != CONFIG:  # added with `newsbot feeds add`: not the file's to remove
                    continue
                if spec is None:
                    await session.delete(row)
                    removed += 1
                else:
                    row.name, row.label, row.interval_seconds = spec.name, spec.label, spec.interval_seconds
            for spec in wanted.values():
                session.add(
                    FeedRow(
                        url=spec.url, name=spec.name, label=spec.label, added_by=CONFIG,
                        interval_seconds=spec.interval_seconds,
                        state=FeedState.NEW, failures=0, next_poll=now, item_count=0, created_at=now,
                    )
                )  # fmt: skip
                added += 1
            await session.commit()
        return added, removed

    async def count(self) -> int:
        async with self._sessions() as session:
            return int((await session.execute(select(func.count()).select_from(FeedRow))).scalar_one())

    async def mute(self, scope: Scope, outlet: str, *, now: datetime, by: str | None = None) -> bool:
        """Mute an outlet (by name, case-insensitive) for a workspace; False if it already was."""
        key = outlet.strip().casefold()[:200]
        async with self._sessions() as session:
            if await session.get(OutletMuteRow, (scope[0], scope[1], key)) is not None:
                return False
            session.add(
                OutletMuteRow(platform=scope[0], workspace_id=scope[1], outlet=key, created_by=by, created_at=now)
            )
            await session.commit()
            return True

    async def unmute(self, scope: Scope, outlet: str) -> bool:
        key = outlet.strip().casefold()[:200]
        async with self._sessions() as session:
            result = await session.execute(
                delete(OutletMuteRow).where(
                    OutletMuteRow.platform == scope[0],
                    OutletMuteRow.workspace_id == scope[1],
                    OutletMuteRow.outlet == key,
                )
            )
            await session.commit()
            return bool(getattr(result, "rowcount", 0))

    async def mutes(self, scope: Scope) -> builtins.list[str]:
        async with self._sessions() as session:
            query = select(OutletMuteRow.outlet).where(
                OutletMuteRow.platform == scope[0], OutletMuteRow.workspace_id == scope[1]
            )
            return sorted((await session.execute(query)).scalars().all())
