"""Real-shaped Discord payloads for the fake server: users, messages, READY, GUILD_CREATE and
INTERACTION_CREATE (type 2, application command; type 4, autocomplete), as in the API docs."""

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


def guild_create(guild_id: int, channel_id: int, owner_id: int) -> dict[str, Any]:
    return {
        "id": str(guild_id),
        "name": f"guild {guild_id}",
        "icon": None,
        "owner_id": str(owner_id),
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [
            {
                "id": str(guild_id),
                "name": "@everyone",
                "permissions": "104324673",
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "system_channel_flags": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "joined_at": datetime.now(UTC).isoformat(),
        "large": False,
        "unavailable": False,
        "member_count": 2,
        "members": [],
        "channels": [
            {
                "id": str(channel_id),
                "type": 0,
                "name": "news",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
            }
        ],
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
    payload: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(app_id),
        "type": kind,
        "data": {"id": str(snowflake()), "name": name, "type": 1, "options": data_options},
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
