"""A worker killed with SIGKILL after claiming, after posting and after marking, then restarted
inside and outside the platform's idempotency window: every slot appears once at the platform,
except the documented at-least-once case (restart after the window closed, post not marked)."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from digests.models import DeliveryState
from tests.bot.test_delivery import _subscribed
from tests.conftest import REPO
from tests.fakes.idempotent_platform import FakePlatform, start

SLOT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


async def _worker(db_url: str, platform_url: str, now: datetime, crash_at: str | None = None) -> int:
    args = [sys.executable, "-m", "tests.fakes.crash_worker", db_url, platform_url, now.isoformat()]
    proc = await asyncio.create_subprocess_exec(*args, *([crash_at] if crash_at else []), cwd=REPO)
    return await asyncio.wait_for(proc.wait(), timeout=120)


async def _setup(svc: Any) -> int:
    sub = await _subscribed(svc)
    previous = await svc.db.deliveries.claim(sub.id, SLOT - timedelta(days=1))
    await svc.db.deliveries.finish(previous.id, DeliveryState.SKIPPED)  # the slot before: nothing due
    return int(sub.id)


@pytest.mark.parametrize(
    ("db_url", "crash_at", "platform_advance", "expected_messages"),
    [
        ("sqlite", "after_claim", 180, 1),
        ("sqlite", "after_post", 180, 1),  # restarted inside the idempotency window: deduplicated
        ("postgres", "after_post", 180, 1),
        ("sqlite", "after_post", 900, 2),  # outside it: the documented at-least-once case
        ("sqlite", "after_mark", 180, 1),
    ],
    indirect=["db_url"],
)
async def test_killed_worker_then_restart(
    store_svc: Any, db_url: str, crash_at: str, platform_advance: int, expected_messages: int
) -> None:
    sub_id = await _setup(store_svc)
    platform = FakePlatform(window_seconds=300)
    runner, base = await start(platform)
    try:
        code = await _worker(db_url, base, SLOT + timedelta(seconds=10), crash_at)
        assert code == -signal.SIGKILL
        async with httpx.AsyncClient() as client:
            await client.post(f"{base}/advance", json={"seconds": platform_advance})
        assert await _worker(db_url, base, SLOT + timedelta(seconds=10 + platform_advance)) == 0
        # a third worker, later still, changes nothing
        assert await _worker(db_url, base, SLOT + timedelta(seconds=20 + platform_advance)) == 0
    finally:
        await runner.cleanup()
    assert len(platform.messages) == expected_messages
    assert {m["key"] for m in platform.messages} == {"nb-d2"}
    last = await store_svc.db.deliveries.last_posted(sub_id)
    assert last is not None and last[0].slot == SLOT and last[0].state is DeliveryState.POSTED
