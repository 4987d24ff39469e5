"""Fixtures: a fake Discord, settings pointing at it, and a started adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route
from pydantic import SecretStr

from bot.adapters.discord.adapter import DiscordAdapter
from tests.fakes.discord_api import FakeDiscord

GUILD = (1_234_567_890 << 22) | 1  # shard 0 of 2
GUILD_B = (1_234_567_891 << 22) | 1  # shard 1 of 2
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3


@pytest.fixture(autouse=True)
def _restore_endpoints() -> Iterator[None]:
    """The endpoints are process-wide class attributes: put Discord's back after each test."""
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    yield
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord(guild_ids=(GUILD, GUILD_B), shard_count=2).start()
    yield server
    await server.stop()


@pytest.fixture
def discord_settings(settings: Any, fake: FakeDiscord) -> Callable[..., Any]:
    """Settings for the fake; keyword arguments override fields."""

    def make(**changes: Any) -> Any:
        values = {
            "discord_token": SecretStr("fake-token"),
            "discord_api_base": fake.api_base,
            "discord_gateway_url": fake.gateway_url,
            "discord_guild_ready_timeout": 0.05,
            **changes,
        }
        return settings.model_copy(update=values)

    return make


@pytest.fixture
async def start_adapter(svc: Any, discord_settings: Callable[..., Any]) -> AsyncIterator[Callable[..., Any]]:
    """``await start_adapter(**settings)`` starts an adapter; all are stopped at the end."""
    started: list[DiscordAdapter] = []

    async def start(**changes: Any) -> DiscordAdapter:
        adapter = DiscordAdapter(svc, discord_settings(**changes))
        started.append(adapter)
        await adapter.start()
        return adapter

    yield start
    for adapter in reversed(started):
        await adapter.stop()


@pytest.fixture
async def adapter(start_adapter: Callable[..., Any]) -> DiscordAdapter:
    result: DiscordAdapter = await start_adapter()
    return result
