"""Schedules respect the 15-minute floor, and a channel never gets the same stories twice in a row:
the console's digest at start-up counts as posted, so the first scheduled slot does not repeat it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app, open_services
from bot.delivery import Deliverer, InProcessRunner
from bot.schedule import parse_schedule
from bot.scheduler import Scheduler
from digests.errors import CommandError, ConfigError
from tests.bot.test_delivery import RecordingPublisher
from tests.bot.test_handlers import ADMIN, ask
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("cron", "gap"),
    [
        ("* * * * *", "1 minute"),
        ("*/5 * * * *", "5 minutes"),
        ("0,10 * * * *", "10 minutes"),
        ("0,55 * * * *", "5 minutes"),  # 55 past, then on the hour
        ("0,59 0,23 * * *", "1 minute"),  # 23:59, then 00:00 the next day
    ],
)
def test_a_cron_faster_than_the_floor_is_refused_saying_the_minimum(cron: str, gap: str) -> None:
    with pytest.raises(CommandError) as info:
        parse_schedule(cron, "UTC")
    assert f"would post {gap} apart" in str(info.value)
    assert "at least 15 minutes apart" in str(info.value)
    assert "every 15m" in str(info.value)


@pytest.mark.parametrize(
    "cron", ["*/15 * * * *", "0,30 * * * *", "0 9 * * 1-5", "45 8,9 * * *", "0,59 0,23 * * 1,3", "30 9 29 2 *"]
)
def test_crons_at_or_above_the_floor_are_accepted(cron: str) -> None:
    assert parse_schedule(cron, "UTC").text == cron


async def test_subscribe_and_config_refuse_a_cron_below_the_floor(svc: Any, tmp_path: Path, settings: Any) -> None:
    text, reply = await ask(svc, "/news subscribe ceasefire * * * * *", ADMIN)
    assert reply.is_error and "at least 15 minutes apart" in text
    config = tmp_path / "config"
    config.mkdir()
    (config / "topics.toml").write_text((REPO / "config" / "topics.toml").read_text(encoding="utf-8"), "utf-8")
    (config / "schedules.toml").write_text(
        '[[subscriptions]]\nplatform = "console"\nworkspace = "local"\nchannel = "terminal"\n'
        'topic = "ceasefire"\nschedule = "*/5 * * * *"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        async with build_app(settings.model_copy(update={"config_dir": config})):
            pass
    assert "subscriptions[0].schedule" in str(info.value) and "at least 15 minutes apart" in str(info.value)


async def test_the_first_slot_after_start_does_not_repeat_the_start_up_digest(settings: Any) -> None:
    settings = settings.model_copy(update={"seeds_dir": REPO / "seeds"})
    out = io.StringIO()
    async with build_app(settings, stdin=io.StringIO(""), stdout=out) as app:
        await app.run()
    shown = out.getvalue()
    assert shown.startswith("[#terminal] ") and "Drone Attacks Persist" in shown, shown
    # the next daily 09:00 slot (the config subscription's schedule) has nothing new to post
    svc = await open_services(settings)
    svc.clock = lambda: datetime.now(UTC) + timedelta(days=1, minutes=1)
    publisher = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": publisher}))
    try:
        submitted = await Scheduler(svc, runner).tick()
        await runner.drain()
    finally:
        await svc.db.close()
    assert len(submitted) == 1  # the slot is claimed...
    assert publisher.posts == []  # ...and skipped: its only story was shown at start-up
    # a restart shows that there is nothing new rather than the same stories again
    again = io.StringIO()
    async with build_app(settings, stdin=io.StringIO(""), stdout=again) as app:
        await app.run()
    assert "nothing new since the last digest" in again.getvalue()
    assert "/news digest ceasefire" in again.getvalue()
    assert "Drone Attacks Persist" not in again.getvalue()
