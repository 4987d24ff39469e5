"""/healthz, /readyz and /metrics over real HTTP on 127.0.0.1, and the metrics the bot counts."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, build_app
from bot.delivery import Deliverer, InProcessRunner, Posted, RetryAfter
from bot.handlers import ChannelRef, UserRef, dispatch_line
from bot.metrics import REGISTRY
from tests.bot.test_delivery import RecordingPublisher, _subscribed


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def get(port: int, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}{path}") as resp:
        return resp.status, await resp.text(), resp.headers.get("Content-Type", "")


async def started(app: App) -> asyncio.Task[int]:
    task = asyncio.create_task(app.run())
    for _ in range(200):
        if app.started:
            return task
        if task.done():
            task.result()
        await asyncio.sleep(0.025)
    raise AssertionError("the app did not start")


@pytest.fixture
async def running(ops_settings: Any) -> AsyncIterator[App]:
    """The whole bot (console adapter reading from a pipe that stays open), serving health."""
    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r")
    app = build_app(ops_settings, stdin=stdin, stdout=io.StringIO())
    try:
        async with app:
            task = await started(app)
            yield app
            app.stop.set()
            assert await asyncio.wait_for(task, 10) == 0
    finally:
        os.close(write_fd)
        stdin.close()


async def test_health_ready_and_metrics_over_http(running: App) -> None:
    assert running.http is not None and running.http.port
    port = running.http.port
    assert running.http._runner is not None
    assert {a[0] for a in running.http._runner.addresses} == {"127.0.0.1"}  # never anything but the host set

    status, body, _ = await get(port, "/healthz")
    assert status == 200 and '"ok"' in body
    status, body, _ = await get(port, "/readyz")
    assert status == 200, body
    assert '"ready": true' in body

    assert running.svc is not None
    before = sample("newsbot_command_seconds_count", command="topics")
    reply = await dispatch_line("/topics", UserRef("u"), ChannelRef("console", "local", "c"), running.svc)
    assert not reply.is_error
    status, body, ctype = await get(port, "/metrics")
    assert status == 200 and ctype.startswith("text/plain")
    assert sample("newsbot_command_seconds_count", command="topics") == before + 1
    for name in (
        "newsbot_command_seconds_bucket",
        "newsbot_deliveries_sent_total",
        "newsbot_deliveries_retried_total",
        "newsbot_feed_poll_failures_total",
        "newsbot_delivery_lag_seconds_bucket",
    ):
        assert name in body, name
    assert 'newsbot_command_seconds_count{command="topics"}' in body


async def test_readyz_names_what_is_not_ready(running: App) -> None:
    assert running.http is not None and running.http.port and running.svc is not None
    port = running.http.port
    real = running.svc.db
    running.svc.db = dataclasses.replace(
        real, engine=create_async_engine(f"sqlite+aiosqlite:///{Path('/nonexistent') / 'no' / 'x.db'}")
    )
    assert running.scheduler is not None
    running.scheduler.shutdown()
    try:
        status, body, _ = await get(port, "/readyz")
    finally:
        await running.svc.db.engine.dispose()
        running.svc.db = real
    assert status == 503
    problems = json.loads(body)["not_ready"]
    assert set(problems) == {"database", "scheduler"}, problems
    status, _, _ = await get(port, "/healthz")
    assert status == 200  # alive, just not ready


async def test_no_server_unless_a_port_is_set(settings: Any, quiet_config: Path) -> None:
    app = build_app(settings.model_copy(update={"config_dir": quiet_config}), role="poller")
    async with app:
        task = await started(app)
        assert app.http is None
        app.stop.set()
        await asyncio.wait_for(task, 10)


async def test_delivery_metrics_count_sent_failed_retried_and_lag(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    slot = datetime(2026, 11, 27, 9, tzinfo=UTC)
    svc.clock = lambda: slot + timedelta(seconds=42)
    sent, retried = sample("newsbot_deliveries_sent_total"), sample("newsbot_deliveries_retried_total")
    limited = sample("newsbot_deliveries_failed_total", reason="rate_limited")
    lag_sum, lag_count = sample("newsbot_delivery_lag_seconds_sum"), sample("newsbot_delivery_lag_seconds_count")
    runner = InProcessRunner(Deliverer(svc, {"console": RecordingPublisher(RetryAfter(0.01), Posted("m"))}))
    d = await svc.db.deliveries.claim(sub.id, slot)
    await runner.submit(d.id)
    await runner.drain()
    assert sample("newsbot_deliveries_failed_total", reason="rate_limited") == limited + 1
    assert sample("newsbot_deliveries_retried_total") == retried + 1  # the second attempt
    assert sample("newsbot_deliveries_sent_total") == sent + 1
    assert sample("newsbot_delivery_lag_seconds_count") == lag_count + 1
    assert sample("newsbot_delivery_lag_seconds_sum") == pytest.approx(lag_sum + 42)
