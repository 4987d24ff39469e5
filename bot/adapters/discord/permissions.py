"""Can the bot post in a Discord channel? Its effective permissions there, read over REST.

Discord's rules (the owner has everything; @everyone | the bot's roles; Administrator overrides
all; then the channel's @everyone, role and member overwrites; a timeout) are applied by
discord.py's own ``GuildChannel.permissions_for``, on models built from three requests:

1. ``GET /guilds/{workspace}``: roles and owner (403 or 404: the bot is not in that server);
2. ``GET /channels/{channel}``: its overwrites (404 → "channel not found"; 403 Missing Access →
   the bot cannot view it). A thread takes its parent's permissions: one more request;
3. ``GET /guilds/{workspace}/members/{bot}``: the bot's roles.

REST rather than the gateway cache: a delivery worker (``--role scheduler``) has no gateway, and
every process gets the same answer. Asked at ``/news subscribe`` and by the scheduler's hourly probe
of paused subscriptions; each request takes a token of the process's share of the global budget.
"""

from __future__ import annotations

import aiohttp
import discord

from bot.adapters.discord.ratelimit import TokenBucket

__all__ = ["NOT_IN_SERVER", "missing_permissions", "posting_problem"]

NOT_IN_SERVER = "the bot is not in this Discord server (removed, or the server is gone)"
_IN_CHANNEL = (("view_channel", "View Channel"), ("send_messages", "Send Messages"), ("embed_links", "Embed Links"))
_IN_THREAD = (
    ("view_channel", "View Channel"),
    ("send_messages_in_threads", "Send Messages in Threads"),
    ("embed_links", "Embed Links"),
)


def missing_permissions(perms: discord.Permissions, *, thread: bool = False) -> list[str]:
    """The names (as Discord's settings show them) of what posting digests needs and ``perms`` lacks."""
    return [label for flag, label in (_IN_THREAD if thread else _IN_CHANNEL) if not getattr(perms, flag)]


async def posting_problem(
    client: discord.Client, bucket: TokenBucket, workspace_id: str, channel_id: str
) -> str | None:
    """Why the bot cannot post digests in ``channel_id`` of server ``workspace_id``, or None.

    Reasons name what to fix: ``missing permissions: Embed Links``, ``channel not found``,
    :data:`NOT_IN_SERVER`; or say that Discord could not be asked (network, 5xx, a ban in force).
    """
    if not (workspace_id.isdigit() and channel_id.isdigit()):
        return f"not a Discord server and channel: {workspace_id!r}, {channel_id!r}"
    if client.user is None:
        return "not logged in to Discord"
    blocked = bucket.blocked_for()
    if blocked > 0:
        return f"Discord is refusing requests for now; try again in {blocked:.0f} s"
    try:
        return await _check(client, bucket, int(workspace_id), int(channel_id), client.user.id)
    except discord.RateLimited as exc:  # a 429 longer than discord.py waits out by itself
        return f"rate limited by Discord; try again in {exc.retry_after:.0f} s"
    except discord.HTTPException as exc:
        return f"Discord answered {exc.status} ({exc.text or exc.code}); try again later"
    except (TimeoutError, aiohttp.ClientError) as exc:
        return f"cannot reach Discord ({type(exc).__name__}); try again later"


async def _check(client: discord.Client, bucket: TokenBucket, guild_id: int, channel_id: int, me: int) -> str | None:
    await bucket.acquire()
    try:
        guild = await client.fetch_guild(guild_id, with_counts=False)
    except (discord.Forbidden, discord.NotFound):
        return NOT_IN_SERVER
    await bucket.acquire()
    try:
        channel = await guild.fetch_channel(channel_id)
    except discord.NotFound:
        return "channel not found"
    except discord.Forbidden:
        return "missing permissions: View Channel"
    except discord.InvalidData:
        return "channel not found in this server"
    await bucket.acquire()
    try:
        member = await guild.fetch_member(me)
    except (discord.Forbidden, discord.NotFound):
        return NOT_IN_SERVER
    thread = isinstance(channel, discord.Thread)
    if isinstance(channel, discord.Thread):
        await bucket.acquire()
        try:
            parent = await guild.fetch_channel(channel.parent_id)
        except (discord.NotFound, discord.Forbidden, discord.InvalidData):
            return "channel not found (the thread's parent channel is gone or hidden)"
        perms = parent.permissions_for(member)
        if channel.locked and not perms.manage_threads:
            return "the thread is locked"
    else:
        perms = channel.permissions_for(member)
    lacking = missing_permissions(perms, thread=thread)
    return f"missing permissions: {', '.join(lacking)}" if lacking else None
