"""Command sync only when the command set changes; sharding across processes; restart backoff."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.adapters.discord.backoff import IdentifyBudgetExceeded, start_delay
from bot.adapters.discord.sync import StateStore
from bot.cli import app as cli
from bot.handlers import COMMANDS
from tests.adapters.discord.conftest import GUILD, GUILD_B
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.discord_payloads import command_option as opt


def _puts(fake: FakeDiscord) -> list[Any]:
    return [c for c in fake.calls if c.method == "PUT" and c.path.endswith("/commands")]


async def test_commands_sync_only_when_they_change(fake: FakeDiscord, start_adapter: Any, svc: Any) -> None:
    first = await start_adapter()
    [put] = _puts(fake)
    assert put.path == f"/applications/{fake.app_id}/commands"
    names = sorted(c["name"] for c in put.body)
    assert names == ["ceasefire-status", "news"]
    news = next(c for c in put.body if c["name"] == "news")
    assert {o["name"] for o in news["options"]} == set(COMMANDS)
    await first.stop()

    await start_adapter()  # same commands: no PUT
    assert len(_puts(fake)) == 1

    topic = svc.topics["sanctions"]
    svc.topics = {**svc.topics, "sanctions": dataclasses.replace(topic, aliases={"sanctions-digest": "digest"})}
    changed = await start_adapter(discord_gateway=False)
    outcome = await changed.sync()
    assert outcome.synced and len(_puts(fake)) == 2
    assert "sanctions-digest" in {c["name"] for c in _puts(fake)[-1].body}


async def test_dev_guild_sync_goes_to_that_guild(fake: FakeDiscord, start_adapter: Any) -> None:
    await start_adapter(discord_dev_guild=GUILD)
    [put] = _puts(fake)
    assert put.path == f"/applications/{fake.app_id}/guilds/{GUILD}/commands"


async def test_cli_sync_is_forced_or_skipped(fake: FakeDiscord, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "fake-token")
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("NEWSBOT_CONFIG_DIR", str(settings.config_dir))
    monkeypatch.setenv("NEWSBOT_DISCORD_API_BASE", fake.api_base)

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli, ["discord", "sync", *args])

    first = await asyncio.to_thread(invoke)  # the CLI runs its own event loop
    second = await asyncio.to_thread(invoke)
    forced = await asyncio.to_thread(invoke, "--force")
    assert first.exit_code == 0, first.output
    assert "2 commands synced (global)" in first.output
    assert "unchanged, not synced" in second.output
    assert "synced (global)" in forced.output and len(_puts(fake)) == 2


async def test_two_processes_split_the_shards(fake: FakeDiscord, start_adapter: Any) -> None:
    """Each process runs its shard ids of a fixed count; only shard 0's process syncs."""
    zero = await start_adapter(discord_shard_count=2, discord_shard_ids=[0])
    one = await start_adapter(discord_shard_count=2, discord_shard_ids=[1])
    assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]
    assert [g.id for g in zero.client.guilds] == [GUILD]
    assert [g.id for g in one.client.guilds] == [GUILD_B]
    assert len(_puts(fake)) == 1

    payload = await fake.interact("news", [opt("share", True)], subcommand="topics", guild_id=GUILD_B)
    await fake.wait_for(lambda: fake.callbacks(payload))
    assert fake.callbacks(payload)[0].body["type"] == 4


async def test_auto_sharding_asks_the_gateway_endpoint(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await start_adapter(discord_shard_count="auto")
    assert fake.calls_to("GET", "/gateway/bot")
    assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]
    assert {g.id for g in adapter.client.guilds} == {GUILD, GUILD_B}


async def test_restarts_back_off_and_stop_before_the_identify_limit(svc: Any) -> None:
    state = StateStore(svc.db.engine)
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    delays = [await start_delay(state, 1, now + timedelta(minutes=i)) for i in range(6)]
    assert delays == [0.0, 0.0, 0.0, 5.0, 10.0, 20.0]
    assert await start_delay(state, 1, now + timedelta(minutes=7), "0,1") == 0.0  # another process
    assert await start_delay(state, 1, now + timedelta(hours=3)) == 0.0  # an hour later: free again
    with pytest.raises(IdentifyBudgetExceeded):
        await start_delay(state, 900, now + timedelta(hours=4))
