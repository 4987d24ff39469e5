"""Building the discord.py client from settings.

- Intents: only ``guilds`` (not privileged). Interactions reach every bot regardless of intents,
  and the bot never reads messages.
- ``AllowedMentions.none()`` as the client default: merged into every send, interaction response,
  follow-up and edit, so no text the bot posts can ping anyone.
- ``AutoShardedClient`` when shard settings are given: a fixed ``shard_count`` with this process's
  ``shard_ids`` (several processes split the guilds), or ``auto`` (Discord's recommended count,
  from ``GET /gateway/bot``, all shards here); a plain ``Client`` otherwise.
- ``max_ratelimit_timeout``: discord.py waits out shorter 429s itself; longer ones raise
  ``RateLimited``, which the publisher returns as ``RetryAfter`` rather than blocking a worker.
"""

from __future__ import annotations

from typing import TypedDict

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.settings import Settings

__all__ = ["MAX_RATELIMIT_WAIT", "make_client", "point_at"]

MAX_RATELIMIT_WAIT = 30.0  # discord.py's minimum for max_ratelimit_timeout


class _Options(TypedDict):
    max_ratelimit_timeout: float
    guild_ready_timeout: float


def point_at(settings: Settings) -> None:
    """Direct discord.py's REST and gateway URLs (class attributes, so process-wide) at the
    configured endpoints: Discord itself by default, a stand-in in tests."""
    Route.BASE = settings.discord_api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def make_client(settings: Settings) -> discord.Client:
    """A client configured as the module docstring says (not yet logged in)."""
    intents = discord.Intents(guilds=True)
    mentions = discord.AllowedMentions.none()
    common: _Options = {
        "max_ratelimit_timeout": MAX_RATELIMIT_WAIT,
        "guild_ready_timeout": settings.discord_guild_ready_timeout,
    }
    count = settings.discord_shard_count
    if count is None:
        return discord.Client(intents=intents, allowed_mentions=mentions, **common)
    if count == "auto":
        return discord.AutoShardedClient(intents=intents, allowed_mentions=mentions, **common)
    if settings.discord_shard_ids is None:  # every shard in this process
        return discord.AutoShardedClient(intents=intents, allowed_mentions=mentions, **common, shard_count=count)
    return discord.AutoShardedClient(
        intents=intents,
        allowed_mentions=mentions,
        **common,
        shard_ids=settings.discord_shard_ids,
        shard_count=count,
    )
