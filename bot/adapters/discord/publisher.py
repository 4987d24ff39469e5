"""Scheduled posts through Discord's REST API: the :class:`~bot.delivery.Publisher` of the adapter.

No gateway is needed: a logged-in client and a partial messageable are enough. Policy:

- Each message carries a ``nonce`` derived from the delivery key (discord.py then sends
  ``enforce_nonce: true``): inside Discord's few-minute window a retry returns the message already
  posted instead of posting it again. A digest split over several messages gives each its own
  nonce (``key``, ``key.1``, ``key.2``...; at most 25 characters).
- 403 (Missing Access / Missing Permissions) and 404 (Unknown Channel) → ``Paused(reason)``.
- A 429 that discord.py waited out is invisible here; one it would not wait for (longer than
  ``max_ratelimit_timeout``) → ``RetryAfter`` with its delay. A 429 without ``Via`` (read by
  discord.py as a Cloudflare ban, not retried) → ``RetryAfter`` of a long, bounded wait, and
  every send of this process holds off until it has passed: no hammering.
- 5xx are retried by discord.py; if they persist → ``RetryAfter``. Network errors likewise.
- Every send waits for a token of this process's share of the global budget first.

Two optional capabilities of the port: ``can_post`` (the bot's effective permissions in the
channel, see :mod:`bot.adapters.discord.permissions`) and ``notify_admins`` (a direct message to
each admin: ``POST /users/@me/channels``, then the message with the pause's key as its nonce).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

import aiohttp
import discord

from bot.adapters.discord.permissions import posting_problem
from bot.adapters.discord.ratelimit import TokenBucket
from bot.adapters.discord.render import action_view, render_messages
from bot.delivery import AlreadyPosted, Paused, Posted, PostResult, RetryAfter, Target
from digests.message import Message

__all__ = ["BAN_WAIT_DEFAULT", "BAN_WAIT_MAX", "BAN_WAIT_MIN", "DiscordPublisher", "nonce_for"]

log = logging.getLogger(__name__)

NONCE_LIMIT = 25
BAN_WAIT_MIN = 60.0  # seconds; a 429 without Via is never retried sooner...
BAN_WAIT_DEFAULT = 600.0  # ...this when it says nothing...
BAN_WAIT_MAX = 3600.0  # ...and never later than this
SERVER_ERROR_WAIT = 30.0
NO_MENTIONS = discord.AllowedMentions.none()


def nonce_for(key: str, index: int) -> str:
    """The nonce of message ``index`` of a delivery: ``key`` itself for the first, ``key.N`` after;
    a key too long for that is replaced by a digest of it (still stable)."""
    suffix = f".{index}" if index else ""
    if len(key) + len(suffix) > NONCE_LIMIT:
        key = "h" + hashlib.sha256(key.encode()).hexdigest()[: NONCE_LIMIT - 4]
    return key + suffix


def _ban_wait(exc: discord.HTTPException) -> float:
    header = exc.response.headers.get("Retry-After") if exc.response is not None else None
    try:
        wait = float(header) if header else BAN_WAIT_DEFAULT
    except ValueError:
        wait = BAN_WAIT_DEFAULT
    return min(max(wait, BAN_WAIT_MIN), BAN_WAIT_MAX)


class DiscordPublisher:
    """Posts neutral messages to Discord channels, idempotently within the nonce window."""

    def __init__(self, client: discord.Client, bucket: TokenBucket) -> None:
        self.client = client
        self.bucket = bucket

    async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult:
        """Post ``message`` to ``target.channel_id``; see the module docstring for the results."""
        if not target.channel_id.isdigit():
            return Paused(f"not a Discord channel id: {target.channel_id!r}")
        channel = self.client.get_partial_messageable(int(target.channel_id))
        first: str | None = None
        for index, part in enumerate(render_messages(message)):
            blocked = self.bucket.blocked_for()
            if blocked > 0:
                return RetryAfter(blocked, "Discord refused requests (429 without Via); holding off")
            await self.bucket.acquire()
            try:
                view = action_view(part.rows)
                nonce = nonce_for(key, index)
                if view is None:
                    sent = await channel.send(embeds=part.embeds, nonce=nonce, allowed_mentions=NO_MENTIONS)
                else:  # the digest's buttons
                    sent = await channel.send(embeds=part.embeds, nonce=nonce, allowed_mentions=NO_MENTIONS, view=view)
            except (discord.Forbidden, discord.NotFound) as exc:
                return Paused(self._reason(target, exc))
            except discord.RateLimited as exc:
                return RetryAfter(exc.retry_after, "rate limited")
            except discord.DiscordServerError as exc:
                log.warning("discord %s on channel %s; retry later", exc.status, target.channel_id)
                return RetryAfter(SERVER_ERROR_WAIT, f"Discord server error {exc.status}")
            except discord.HTTPException as exc:
                if exc.status != 429:
                    raise
                wait = _ban_wait(exc)
                self.bucket.block(wait)
                log.error("discord answered 429 without Via (a Cloudflare ban?): no sends for %.0f s", wait)
                return RetryAfter(wait, "429 without Via (Cloudflare); holding off")
            except (TimeoutError, aiohttp.ClientError) as exc:
                return RetryAfter(SERVER_ERROR_WAIT, f"network error: {type(exc).__name__}")
            if first is None:
                first = str(sent.id)
        if first is None:
            raise ValueError("the message rendered to no embeds")  # a bug: every digest has a title
        return Posted(first)

    async def can_post(self, target: Target) -> str | None:
        """Why the bot cannot post digests in ``target`` (``missing permissions: Embed Links``,
        ``channel not found``, not in the server...), or None when it can."""
        return await posting_problem(self.client, self.bucket, target.workspace_id, target.channel_id)

    async def notify_admins(self, workspace_id: str, admin_ids: Sequence[str], message: Message, *, key: str) -> int:
        """Send ``message`` by direct message to each of ``admin_ids`` (none known: the server's
        owner); returns how many got it. A user who accepts no DMs from the bot is skipped."""
        recipients = [a for a in admin_ids if a.isdigit()] or await self._owner(workspace_id)
        told = 0
        for user_id in dict.fromkeys(recipients):
            try:
                await self.bucket.acquire()
                dm = await self.client.create_dm(discord.Object(int(user_id)))
                result = await self.post(Target("discord", workspace_id, str(dm.id)), message, key=key)
            except (discord.HTTPException, discord.RateLimited, TimeoutError, aiohttp.ClientError) as exc:
                result = Paused(f"{type(exc).__name__}: {exc}")
            if isinstance(result, Posted | AlreadyPosted):
                told += 1
            else:
                log.warning("discord: direct message to admin %s not sent: %s", user_id, result)
        return told

    async def _owner(self, workspace_id: str) -> list[str]:
        """The server owner's id, as the admin of last resort (none when the bot cannot see the server)."""
        if not workspace_id.isdigit():
            return []
        try:
            await self.bucket.acquire()
            guild = await self.client.fetch_guild(int(workspace_id), with_counts=False)
        except (discord.HTTPException, discord.RateLimited, TimeoutError, aiohttp.ClientError):
            log.warning("discord: cannot read the owner of server %s", workspace_id, exc_info=True)
            return []
        return [str(guild.owner_id)] if guild.owner_id else []

    @staticmethod
    def _reason(target: Target, exc: discord.HTTPException) -> str:
        if isinstance(exc, discord.NotFound):
            what = "the channel no longer exists (Unknown Channel)" if exc.code == 10003 else "channel not found"
        elif exc.code == 50013:
            what = "the bot lacks permission to post there (Missing Permissions)"
        else:
            what = "the bot cannot see that channel (Missing Access)"
        return f"Discord {exc.status}: {what} in channel {target.channel_id}"
