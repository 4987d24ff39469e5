"""The bot removed from a Discord server stops that server's work.

Discord sends GUILD_DELETE in two cases, which discord.py tells apart:

- the bot was removed (kicked, banned, the server deleted, or it left): ``on_guild_remove``. Every
  subscription of that server is paused with :data:`REMOVED`, shown in ``/news subscriptions``;
  they resume with ``/news resume``, or by themselves once the scheduler's hourly probe finds the
  bot back in the server with its permissions.
- the server is unavailable (an outage; ``unavailable: true``): ``on_guild_unavailable``. Nothing
  is paused: the server comes back with GUILD_CREATE, and posts meanwhile are retried as usual.

Only a gateway connection sees these events; a REST-only worker learns of a removal from the
403s of its posts, which pause each subscription on its own.
"""

from __future__ import annotations

import logging

import discord

from bot.services import Services

__all__ = ["REMOVED", "watch_removals"]

log = logging.getLogger(__name__)

PLATFORM = "discord"
REMOVED = "the bot was removed from this Discord server"


def watch_removals(client: discord.Client, svc: Services) -> None:
    """Pause a server's subscriptions when the bot is removed from it (not on an outage)."""

    async def on_guild_remove(guild: discord.Guild) -> None:
        paused = await svc.db.subscriptions.pause_workspace(PLATFORM, str(guild.id), REMOVED)
        log.warning("discord: removed from server %s; %d subscription(s) paused", guild.id, paused)

    async def on_guild_unavailable(guild: discord.Guild) -> None:
        log.warning("discord: server %s is unavailable (an outage); its subscriptions carry on", guild.id)

    client.event(on_guild_remove)
    client.event(on_guild_unavailable)
