"""Issue #9: three worker processes share one PostgreSQL through the Procrastinate queue; one is
killed with SIGKILL mid-run and restarted after the platform's idempotency window. Every slot is
posted exactly once, every feed is polled within its interval plus a stated tolerance, and no feed
twice in one interval."""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.app import open_services
from bot.settings import Settings
from digests.models import DeliveryState
from digests.store.tables import DeliveryRow
from tests.conftest import REPO, fresh_database_url
from tests.fakes.idempotent_platform import FakePlatform, start
from tests.fakes.scaleout import FeedServer, populate, start_worker, stop_workers, worker_env

SUBSCRIPTIONS = 1000
FEEDS = 200
INTERVAL = 60  # seconds between polls of one feed: the shortest interval a user may set
# A feed may wait past its interval for: the poll tick (1 s), the queue (about 1 s), and, when the
# worker polling it is killed, the stalled-job timeout (6 s here) plus a sweep (2 s) and the retry.
TOLERANCE = 30.0
RUN_SECONDS = 150  # two poll intervals and more


async def _posted(svc: object) -> int:
    async with svc.db.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(
            (
                await conn.execute(
                    select(func.count()).select_from(DeliveryRow).where(DeliveryRow.state == DeliveryState.POSTED)
                )
            ).scalar_one()
        )


async def test_three_workers_one_killed_every_slot_once_every_feed_on_time(tmp_path: Path) -> None:
    async with fresh_database_url("postgres", tmp_path / "x.db", prefix="newsbot_scaleout") as url:
        svc = await open_services(Settings(database_url=url, config_dir=REPO / "config", seeds_dir=None))
        feeds = FeedServer()
        feed_base = await feeds.start()
        platform = FakePlatform(window_seconds=300, post_delay=0.02)
        runner, platform_url = await start(platform)
        env = worker_env()
        procs: list[object] = []
        try:
            await populate(
                svc, subscriptions=SUBSCRIPTIONS, channels=SUBSCRIPTIONS, feeds=FEEDS, feed_base=feed_base,
                interval=INTERVAL,
            )  # fmt: skip
            started = time.monotonic()
            procs = list(await asyncio.gather(*(start_worker(url, platform_url, env) for _ in range(3))))
            while len(platform.messages) < SUBSCRIPTIONS // 5:  # noqa: ASYNC110 - other processes post
                await asyncio.sleep(0.02)
            victim = procs[1]
            victim.send_signal(signal.SIGKILL)  # type: ignore[attr-defined]
            assert await victim.wait() == -signal.SIGKILL  # type: ignore[attr-defined]
            killed_at = len(platform.messages)
            assert killed_at < SUBSCRIPTIONS, "the workers finished before the kill; the test proves nothing"
            deadline = time.monotonic() + 120
            while await _posted(svc) < SUBSCRIPTIONS and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.5)
            assert await _posted(svc) == SUBSCRIPTIONS
            async with httpx.AsyncClient() as client:  # the platform forgets every key: window over
                await client.post(f"{platform_url}/advance", json={"seconds": 400})
            procs[1] = await start_worker(url, platform_url, env)
            await asyncio.sleep(max(RUN_SECONDS - (time.monotonic() - started), 5))
            codes = await stop_workers([p for p in procs if p.returncode is None])  # type: ignore[attr-defined]
            assert codes == [0] * len(codes)
            ended = time.monotonic()
        finally:
            for p in procs:
                if p.returncode is None:  # type: ignore[attr-defined]
                    p.kill()  # type: ignore[attr-defined]
            await runner.cleanup()
            await feeds.stop()
            await svc.db.close()

        # every slot exactly once at the platform
        keys = Counter(m["key"] for m in platform.messages)
        assert len(keys) == SUBSCRIPTIONS, f"{len(keys)} slots posted"
        assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1][:5]
        assert len({m["channel"] for m in platform.messages}) == SUBSCRIPTIONS

        # every feed polled within its interval plus the tolerance, and never twice in one interval
        assert sorted(feeds.polls) == list(range(FEEDS))
        for n, times in feeds.polls.items():
            marks = [started, *times, ended]
            gaps = [b - a for a, b in itertools.pairwise(marks)]
            assert max(gaps) <= INTERVAL + TOLERANCE, (n, gaps)
            polled = [b - a for a, b in itertools.pairwise(times)]
            assert min(polled, default=INTERVAL) >= INTERVAL - 1, (n, polled)
