"""Real-shaped Discord payloads for the fake server: users, messages, guilds, roles, channels (with
permission overwrites), threads, members, DM channels, READY, GUILD_CREATE and INTERACTION_CREATE
(type 2, application command; type 3, a button pressed; type 4, autocomplete), as in the API docs."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

_ids = itertools.count(1)
DISCORD_EPOCH_MS = 1_420_070_400_000


def snowflake() -> int:
    """A fresh, increasing snowflake (timestamp bits from now)."""
    ms = int(datetime.now(UTC).timestamp() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_ids) & 0x3FFFFF)


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "flags": 0,
        "public_flags": 0,
    }


def application(app_id: int, owner: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(app_id),
        "name": "newsbot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": owner,
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
        "summary": "",
        "rpc_origins": [],
    }


def message(
    message_id: int, channel_id: int, author: dict[str, Any], body: dict[str, Any], *, flags: int = 0
) -> dict[str, Any]:
    return {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": datetime.now(UTC).isoformat(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds") or [],
        "components": [],
        "pinned": False,
        "type": 0,
        "flags": flags | int(body.get("flags") or 0),
        "nonce": body.get("nonce"),
    }


def ready(bot: dict[str, Any], app_id: int, guild_ids: list[int], shard: list[int], resume_url: str) -> dict[str, Any]:
    return {
        "v": 10,
        "user": {**bot, "verified": True, "mfa_enabled": False},
        "guilds": [{"id": str(g), "unavailable": True} for g in guild_ids],
        "session_id": f"session-{snowflake()}",
        "resume_gateway_url": resume_url,
        "shard": shard,
        "application": {"id": str(app_id), "flags": 0},
        "private_channels": [],
        "relationships": [],
    }


EVERYONE_PERMISSIONS = 104324673  # Discord's default @everyone: View Channel, Send Messages, Embed Links...


def role(role_id: int, name: str, permissions: int, *, position: int = 0) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def overwrite(target_id: int, *, member: bool, allow: int, deny: int) -> dict[str, Any]:
    """A channel permission overwrite: type 0 for a role, 1 for a member."""
    return {"id": str(target_id), "type": 1 if member else 0, "allow": str(allow), "deny": str(deny)}


def channel(channel_id: int, guild_id: int, overwrites: list[dict[str, Any]], *, name: str = "news") -> dict[str, Any]:
    """A guild text channel (type 0), as ``GET /channels/{id}`` returns it."""
    return {
        "id": str(channel_id),
        "guild_id": str(guild_id),
        "type": 0,
        "name": name,
        "position": 0,
        "permission_overwrites": overwrites,
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def thread(thread_id: int, guild_id: int, parent_id: int, owner_id: int, *, locked: bool = False) -> dict[str, Any]:
    """A public thread (type 11) under ``parent_id``; threads have no overwrites of their own."""
    return {
        "id": str(thread_id),
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "owner_id": str(owner_id),
        "type": 11,
        "name": "thread",
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": datetime.now(UTC).isoformat(),
            "locked": locked,
        },
    }


def dm_channel(channel_id: int, recipient: dict[str, Any]) -> dict[str, Any]:
    """What ``POST /users/@me/channels`` returns: a DM channel (type 1) with the recipient."""
    return {"id": str(channel_id), "type": 1, "last_message_id": None, "recipients": [recipient], "flags": 0}


def member(member_user: dict[str, Any], roles: list[int]) -> dict[str, Any]:
    """A guild member, as ``GET /guilds/{id}/members/{user}`` returns it."""
    return {
        "user": member_user,
        "roles": [str(r) for r in roles],
        "joined_at": datetime.now(UTC).isoformat(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
        "avatar": None,
        "communication_disabled_until": None,
    }


def guild(guild_id: int, owner_id: int, roles: list[dict[str, Any]]) -> dict[str, Any]:
    """A guild as ``GET /guilds/{id}`` returns it: roles and owner, no channels or members."""
    return {
        "id": str(guild_id),
        "name": f"guild {guild_id}",
        "icon": None,
        "owner_id": str(owner_id),
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": roles,
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "system_channel_flags": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
    }


def guild_create(
    guild_id: int, owner_id: int, roles: list[dict[str, Any]], channels: list[dict[str, Any]]
) -> dict[str, Any]:
    """GUILD_CREATE: the REST guild plus the gateway-only fields (no members: no members intent)."""
    return {
        **guild(guild_id, owner_id, roles),
        "joined_at": datetime.now(UTC).isoformat(),
        "large": False,
        "unavailable": False,
        "member_count": 2,
        "members": [],
        "channels": [{k: v for k, v in c.items() if k != "guild_id"} for c in channels],
        "threads": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def command_option(name: str, value: Any, *, focused: bool = False) -> dict[str, Any]:
    """A CHAT_INPUT option value: type 3 (string), 4 (integer) or 5 (boolean) from the Python type."""
    kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
    option: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        option["focused"] = True
    return option


def interaction(
    *,
    app_id: int,
    kind: int,
    name: str,
    options: list[dict[str, Any]],
    subcommand: str | None,
    channel_id: int,
    guild_id: int | None,
    member_user: dict[str, Any],
    permissions: int,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload of ``kind`` 2 (command) or 4 (autocomplete), in a guild
    (with ``member``) or a DM (with ``user``)."""
    data_options = [{"name": subcommand, "type": 1, "options": options}] if subcommand else options
    data: dict[str, Any] = {"id": str(snowflake()), "name": name, "type": 1, "options": data_options}
    if kind == 3:  # a button: ``name`` is its custom_id, pressed under a message of the bot
        data = {"custom_id": name, "component_type": 2}
    payload: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(app_id),
        "type": kind,
        "data": data,
        "channel_id": str(channel_id),
        "token": f"tok-{snowflake()}",
        "version": 1,
        "app_permissions": "2248473465835073",
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild_id)} if guild_id else {"1": member_user["id"]},
        "context": 0 if guild_id else 1,
        "attachment_size_limit": 10_485_760,
    }
    if kind == 3:
        bot = user(app_id, "newsbot", bot=True)
        payload["message"] = message(snowflake(), channel_id, bot, {"embeds": [{"title": "digest"}]})
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": str(guild_id), "locale": "en-US", "features": []}
        payload["channel"] = {"id": str(channel_id), "type": 0, "name": "news", "guild_id": str(guild_id),
                              "permissions": str(permissions), "position": 0, "nsfw": False}  # fmt: skip
        payload["member"] = {
            "user": member_user,
            "roles": [],
            "joined_at": datetime.now(UTC).isoformat(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }
    else:
        payload["channel"] = {"id": str(channel_id), "type": 1, "recipients": [member_user]}
        payload["user"] = member_user
    return payload
