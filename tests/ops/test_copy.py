"""``newsbot db copy``: SQLite → PostgreSQL (and SQLite → SQLite), idempotent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from bot.app import open_services
from bot.delivery import Deliverer
from digests.models import DeliveryState
from digests.pipeline import ingest_items
from digests.store.copy import copy_database
from digests.store.slack_tables import slack_bots, slack_installations
from digests.store.tables import PlatformStateRow
from tests.bot.test_delivery import NEWER, OLDER, RecordingPublisher, _subscribed
from tests.conftest import fresh_database_url

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
async def target_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database_url(request.param, tmp_path / "target" / "copy.db", "newsbot_copy") as url:
        yield url


async def _populate(svc: Any) -> None:
    db = svc.db
    sub = await _subscribed(svc)  # one article, one console subscription
    await ingest_items(db.articles, [OLDER, NEWER])
    slot = datetime(2026, 11, 27, 9, tzinfo=UTC)
    await Deliverer(svc, {"console": RecordingPublisher()}).deliver((await db.deliveries.claim(sub.id, slot)).id)
    await db.deliveries.claim(sub.id, slot - timedelta(days=1))  # an older ledger row: not carried
    await db.subscriptions.set_workspace_timezone("slack", "T1", "Europe/Kyiv")
    await db.subscriptions.add_workspace_topic("slack", "T1", "grain", "Grain", ["grain", "Black Sea"], "U1")
    await db.subscriptions.upsert(
        platform="slack", workspace_id="T1", channel_id="C1", topic_id="grain", schedule="every 2h",
        timezone="Europe/Kyiv",
    )  # fmt: skip
    feed = await db.feeds.add("https://feeds.example/rss", "Example", owner=("slack", "T1"), now=NOW, label="wire")
    await db.feeds.record_success(
        feed.id, now=NOW, next_poll=NOW + timedelta(hours=1), etag='"abc"', last_modified=None, new_items=3
    )
    await db.feeds.add("https://config.example/rss", "Config feed", owner=None, now=NOW)
    await db.feeds.mute(("slack", "T1"), "Tabloid Daily", now=NOW, by="U1")
    async with db.engine.begin() as conn:
        await conn.execute(
            insert(PlatformStateRow.__table__), [{"key": "discord.commands", "value": "h1", "updated_at": NOW}]
        )  # type: ignore[arg-type]
        installed = datetime(2026, 1, 1, 12)
        await conn.execute(
            insert(slack_installations),
            [{"client_id": "c", "app_id": "A1", "team_id": "T1", "bot_token": "xoxb-1", "user_id": "U1",
              "is_enterprise_install": False, "installed_at": installed}],
        )  # fmt: skip
        await conn.execute(
            insert(slack_bots),
            [{"client_id": "c", "app_id": "A1", "team_id": "T1", "bot_token": "xoxb-1", "is_enterprise_install": False,
              "installed_at": installed}],
        )  # fmt: skip


async def _count(svc: Any, table: Any) -> int:
    async with svc.db.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_copy_carries_settings_not_articles_and_is_idempotent(settings: Any, svc: Any, target_url: str) -> None:
    await _populate(svc)
    source_url = settings.database_url
    report = await copy_database(source_url, target_url)
    assert report.copied["subscriptions"] == 2 and report.copied["feeds"] == 2
    assert "articles" not in report.copied

    target = await open_services(settings.model_copy(update={"database_url": target_url}))
    try:
        db = target.db
        subs = {(s.platform, s.workspace_id, s.channel_id, s.topic_id): s for s in await db.subscriptions.list()}
        assert set(subs) == {("console", "w", "c", "ceasefire"), ("slack", "T1", "C1", "grain")}
        assert subs[("slack", "T1", "C1", "grain")].schedule == "every 2h"
        assert (await db.subscriptions.workspace("slack", "T1")).timezone == "Europe/Kyiv"
        assert [t.topic_id for t in await db.subscriptions.workspace_topics("slack", "T1")] == ["grain"]
        assert await db.feeds.mutes(("slack", "T1")) == await svc.db.feeds.mutes(("slack", "T1")) != []
        feeds = {f.url: f for f in await db.feeds.list(everything=True)}
        assert set(feeds) == {"https://feeds.example/rss", "https://config.example/rss"}
        wire = feeds["https://feeds.example/rss"]
        assert wire.owner == ("slack", "T1") and wire.label == "wire"
        assert wire.etag is None and wire.first_poll  # starts over: a full fetch, as a backfill
        assert await db.articles.count() == 0
        # the ledger's watermark came along: no catch-up digest for the slot the old bot served
        last = await db.deliveries.last_slots()
        assert last == {subs[("console", "w", "c", "ceasefire")].id: datetime(2026, 11, 27, 9, tzinfo=UTC)}
        assert await _count(target, slack_installations) == 1 and await _count(target, slack_bots) == 1
        async with db.engine.connect() as conn:
            keys = set((await conn.execute(select(PlatformStateRow.key))).scalars())
        assert "discord.commands" in keys
    finally:
        await target.db.close()

    again = await copy_database(source_url, target_url)
    assert sum(again.copied.values()) == 0
    assert again.skipped["subscriptions"] == 2 and again.skipped["slack_installations"] == 1


async def test_copy_with_articles_keeps_them_and_new_ones_still_store(settings: Any, svc: Any, target_url: str) -> None:
    await _populate(svc)
    articles = await svc.db.articles.count()
    report = await copy_database(settings.database_url, target_url, with_articles=True)
    assert report.copied["articles"] == articles
    target = await open_services(settings.model_copy(update={"database_url": target_url}))
    try:
        assert await target.db.articles.count() == articles
        sub = next(s for s in await target.db.subscriptions.list() if s.platform == "console")
        # the story already posted is not posted again at the next slot
        nxt = await target.db.deliveries.claim(sub.id, datetime(2026, 11, 28, 9, tzinfo=UTC))
        pub = RecordingPublisher()
        await Deliverer(target, {"console": pub}).deliver(nxt.id)
        posted = {st.heading for _, m, _ in pub.posts for st in m.sections}
        assert not any("Negotiators meet" in (h or "") for h in posted)
        # ids continue after the copied ones (PostgreSQL sequences moved on)
        from digests.models import ArticleInput

        fresh = ArticleInput(title="Grain deal talks resume", text="Grain talks resumed in Istanbul on Tuesday.",
                             url="https://news.example/grain", source="Example News")  # fmt: skip
        assert (await ingest_items(target.db.articles, [fresh])).created == 1
        assert (await target.db.deliveries.get(nxt.id)).state in (DeliveryState.POSTED, DeliveryState.SKIPPED)
    finally:
        await target.db.close()
    again = await copy_database(settings.database_url, target_url, with_articles=True)
    assert sum(again.copied.values()) == 0


def test_db_copy_command(tmp_path: Path) -> None:
    from tests.bot.test_cli import newsbot

    source = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    target = f"sqlite+aiosqlite:///{tmp_path / 'copy.db'}"
    assert newsbot(tmp_path, "db", "upgrade").returncode == 0  # the helper's database is the source
    result = newsbot(tmp_path, "db", "copy", source, target)
    assert result.returncode == 0, result.stderr
    assert "subscriptions: 0 copied" in result.stdout
    same = newsbot(tmp_path, "db", "copy", source, source)
    assert same.returncode == 2 and "is the source itself" in same.stderr
