"""Shared by the scale-out test and ``benchmarks/scaleout.py``: a store with due subscriptions and
feeds, a feed server on 127.0.0.1 that records every poll, and worker processes
(``tests.fakes.queue_worker``) to start, kill and stop."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import update

from digests.models import ArticleInput
from digests.pipeline import ingest_items
from digests.store.tables import SubscriptionRow

REPO = Path(__file__).resolve().parents[2]

STORY = ArticleInput(
    url="https://wire.example/ceasefire-talks",
    title="Ukraine and Russia agree to new round of ceasefire talks",
    text=(
        "Ukraine and Russia agreed on Monday to hold a new round of ceasefire talks in Istanbul, officials said. "
        '"We are ready to meet," Ukrainian President Volodymyr Zelensky said in a video address. '
        "The talks follow months of stalled negotiations over a proposed 30-day ceasefire."
    ),
    published=datetime.now(UTC),
    source="Wire",
)


@dataclass
class FeedServer:
    """``/feed/N``: a small RSS feed; every request is recorded with its monotonic time."""

    polls: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    _runner: web.AppRunner | None = None
    base: str = ""

    async def _feed(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        self.polls[n].append(time.monotonic())
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk {n}</title>'
            "<link>https://desk.example/</link><item><title>Council budget {n}</title>"
            "<link>https://desk.example/{n}/budget</link><guid>desk-{n}-budget</guid>"
            "<description>The city council approved a new budget for parks and libraries on Tuesday, "
            "the mayor said. The plan adds two libraries and repairs 14 parks.</description></item>"
            "</channel></rss>"
        ).replace("{n}", str(n))
        return web.Response(body=body.encode(), content_type="application/rss+xml")

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/feed/{n}", self._feed)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self.base

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def populate(svc: Any, *, subscriptions: int, channels: int, feeds: int, feed_base: str, interval: int) -> None:
    """``subscriptions`` over ``channels`` with one due slot each, and ``feeds`` due now."""
    await ingest_items(svc.db.articles, [STORY])
    # one slot due two minutes ago, and none again for a day (a test may run across an hour)
    slot = datetime.now(UTC) - timedelta(minutes=2)
    schedule = f"daily {slot:%H:%M}"
    per_channel = max(subscriptions // channels, 1)
    topics = [t for t in svc.topics][:per_channel] if per_channel > 1 else ["ceasefire"]
    made = 0
    channel = 0
    while made < subscriptions:
        for topic in topics:
            if made == subscriptions:
                break
            await svc.db.subscriptions.upsert(
                platform="console", workspace_id=f"w{channel % 10}", channel_id=f"c{channel}",
                topic_id=topic, schedule=schedule, timezone="UTC", on_empty="say",
            )  # fmt: skip
            made += 1
        channel += 1
    async with svc.db.engine.begin() as conn:  # created before the slot
        await conn.execute(update(SubscriptionRow).values(created_at=datetime.now(UTC) - timedelta(minutes=61)))
    now = datetime.now(UTC)
    for n in range(feeds):
        await svc.db.feeds.add(f"{feed_base}/feed/{n}", f"Desk {n}", owner=None, now=now, interval_seconds=interval)


def worker_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))}
    env.update(
        {
            "NEWSBOT_FETCH_ALLOWLIST": "127.0.0.1",
            "NEWSBOT_FETCH_ONLY_ALLOWLIST": "1",
            "NEWSBOT_FETCH_HOST_DELAY": "0",
            "NEWSBOT_POLL_TICK_SECONDS": "1",
            "NEWSBOT_QUEUE_STALLED_SECONDS": "6",
            "NEWSBOT_QUEUE_CONCURRENCY": "8",
            "NEWSBOT_LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


async def start_worker(db_url: str, platform_url: str, env: dict[str, str], queues: str = "deliveries,feeds") -> Any:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.queue_worker", db_url, platform_url, queues,
        cwd=REPO, env=env, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
    assert line.strip() == b"ready", line
    return proc


async def stop_workers(procs: list[Any]) -> list[int]:
    for proc in procs:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
    return [await asyncio.wait_for(p.wait(), timeout=90) for p in procs]
