"""The Discord adapter: app commands over the gateway, scheduled digests over REST.

``start`` logs in (REST), syncs the commands if their hash changed (from one process only: the one
running shard 0, or the only one), then connects to the gateway and returns once ready. With
``NEWSBOT_DISCORD_GATEWAY=false`` it stays REST-only: a delivery worker that posts digests and
answers no commands.

Over the gateway it also watches for the bot being removed from a server (GUILD_DELETE that is
not an outage), which pauses that server's subscriptions (:mod:`bot.adapters.discord.membership`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord

from bot.adapters.base import Adapter
from bot.adapters.discord.backoff import start_delay
from bot.adapters.discord.client import make_client, point_at
from bot.adapters.discord.membership import watch_removals
from bot.adapters.discord.publisher import DiscordPublisher
from bot.adapters.discord.ratelimit import TokenBucket
from bot.adapters.discord.sync import StateStore, SyncOutcome, sync_commands
from bot.adapters.discord.tree import NewsTree, build_tree
from bot.delivery import Publisher
from bot.services import Services
from bot.settings import Settings
from digests.errors import ConfigError

__all__ = ["DiscordAdapter", "build_discord_adapter"]

log = logging.getLogger(__name__)


class DiscordAdapter:
    """One Discord connection (one process's shards) and its publisher."""

    name = "discord"

    def __init__(self, svc: Services, settings: Settings) -> None:
        if settings.discord_token is None:
            raise ConfigError("environment", "DISCORD_TOKEN", "not set")
        self.svc = svc
        self.settings = settings
        point_at(settings)
        self.client: discord.Client = make_client(settings)
        self.tree: NewsTree = build_tree(self.client, svc)
        watch_removals(self.client, svc)
        self.bucket = TokenBucket(settings.discord_rate_share)
        self.publisher: Publisher = DiscordPublisher(self.client, self.bucket)
        self.state = StateStore(svc.db.engine)
        self._gateway: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()

    @property
    def syncs_commands(self) -> bool:
        """Whether this process syncs commands: only one process should (the one with shard 0)."""
        ids = self.settings.discord_shard_ids
        return ids is None or 0 in ids

    @property
    def shard_total(self) -> int:
        """How many shards this process identifies (for the restart budget); ``auto`` counts as 1."""
        ids, count = self.settings.discord_shard_ids, self.settings.discord_shard_count
        return len(ids) if ids else count if isinstance(count, int) else 1

    async def sync(self, *, force: bool = False) -> SyncOutcome:
        """Sync the commands now if they changed (or ``force``); the client must be logged in."""
        return await sync_commands(self.tree, self.state, guild_id=self.settings.discord_dev_guild, force=force)

    async def login(self) -> None:
        """Log in over REST (``GET /users/@me`` and ``/oauth2/applications/@me``)."""
        assert self.settings.discord_token is not None
        await self.client.login(self.settings.discord_token.get_secret_value())

    async def start(self) -> None:
        """Log in, sync if needed, connect the gateway (unless REST-only); return once ready."""
        await self.login()
        if not self.settings.discord_gateway:
            log.info("discord: REST only (no gateway): posting digests, answering no commands")
            return
        if self.settings.discord_sync_at_start and self.syncs_commands:
            try:
                outcome = await self.sync()
            except discord.HTTPException:
                log.exception("discord: command sync failed; the commands Discord has are unchanged")
            else:
                verb = "synced" if outcome.synced else "unchanged, not synced"
                log.info("discord: %d commands %s (%s)", outcome.count, verb, outcome.scope)
        ids = self.settings.discord_shard_ids
        process = ",".join(map(str, ids)) if ids else "all"
        delay = await start_delay(self.state, self.shard_total, self.svc.now(), process)
        if delay:
            log.warning("discord: restarted often lately; waiting %.0f s before connecting", delay)
            await asyncio.sleep(delay)
        self._gateway = asyncio.create_task(self.client.connect(reconnect=True), name="discord-gateway")
        ready = asyncio.ensure_future(self.client.wait_until_ready())
        await asyncio.wait({ready, self._gateway}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            self._gateway.result()  # raises what stopped the gateway
            raise RuntimeError("the Discord gateway closed before it was ready")
        log.info("discord: connected as %s to %d guilds", self.client.user, len(self.client.guilds))

    async def wait(self) -> None:
        """Return when the gateway stops (or, REST-only, when ``stop`` is called)."""
        if self._gateway is None:
            await self._stopped.wait()
            return
        try:
            await self._gateway
        except Exception:
            log.exception("discord: the gateway stopped")

    async def stop(self) -> None:
        """Close the gateway and the HTTP session."""
        await self.client.close()
        if self._gateway is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._gateway
        self._stopped.set()


def build_discord_adapter(svc: Services, settings: Settings) -> Adapter:
    """Build the Discord adapter from settings (``DISCORD_TOKEN`` must be set)."""
    return DiscordAdapter(svc, settings)
