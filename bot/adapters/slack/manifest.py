"""The Slack app manifest: exactly the slash commands the adapter registers (``/news`` and the
topic aliases from config), the minimal bot scopes, and the request URLs for HTTP mode."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.handlers import COMMANDS, alias_table
from digests.topics import Topic

__all__ = ["BOT_SCOPES", "EVENTS_PATH", "build_manifest", "command_names", "to_yaml"]

EVENTS_PATH = "/slack/events"
BOT_SCOPES = (
    "commands",  # the slash commands
    "chat:write",  # scheduled digests
    "users:read",  # is the caller a workspace admin or owner (users.info)
    "usergroups:read",  # admin allowlist by user group (usergroups.users.list)
    "channels:read",  # is the app a member of a public channel it should post to
    "groups:read",  # ... of a private channel
    "channels:history",  # reconcile an unclear post by its metadata (public channels)
    "groups:history",  # ... private channels
    "im:write",  # tell admins of a paused digest by direct message (conversations.open)
)
BOT_EVENTS = ("app_uninstalled", "tokens_revoked")


def command_names(namespace: str, topics: Mapping[str, Topic]) -> list[str]:
    """``/news`` first, then every alias declared in config, sorted."""
    return [f"/{namespace}", *(f"/{alias}" for alias in sorted(alias_table(topics)))]


def build_manifest(
    namespace: str,
    topics: Mapping[str, Topic],
    *,
    base_url: str | None = None,
    socket_mode: bool = False,
    name: str = "newsbot",
) -> dict[str, Any]:
    """The manifest as a dict. ``base_url`` (``https://bot.example``) is where HTTP mode is served."""
    events_url = f"{base_url.rstrip('/')}{EVENTS_PATH}" if base_url and not socket_mode else None
    aliases = alias_table(topics)
    commands: list[dict[str, Any]] = []
    for command in command_names(namespace, topics):
        if command == f"/{namespace}":
            description = f"News digests and story status ({len(COMMANDS)} commands: /{namespace} help)"
            hint = "help | digest [TOPIC] | status TOPIC | search WORDS | quotes PERSON | story ID | ..."
        else:
            sub, topic_id = aliases[command[1:]]
            title = topics[topic_id].title
            description = f"Same as /{namespace} {sub} {topic_id} ({title})"
            hint = "[since:24h] [share:yes]"
        entry: dict[str, Any] = {"command": command, "description": description[:100], "usage_hint": hint[:100]}
        if events_url:
            entry["url"] = events_url
        entry["should_escape"] = False
        commands.append(entry)
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": list(BOT_EVENTS)},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    # buttons under digests ("Full story", "Mute this outlet") arrive as block_actions
    settings["interactivity"] = {"is_enabled": True, **({"request_url": events_url} if events_url else {})}
    if events_url:
        settings["event_subscriptions"] = {"request_url": events_url, "bot_events": list(BOT_EVENTS)}
    oauth: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if base_url and not socket_mode:
        oauth["redirect_urls"] = [f"{base_url.rstrip('/')}/slack/oauth_redirect"]
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "Verbatim news digests: summaries, quotes and figures, always with the sources.",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": oauth,
        "settings": settings,
    }


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML scalar


def to_yaml(value: Any, indent: int = 0) -> str:
    """A small YAML emitter for the manifest's dicts, lists, strings and booleans."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(item) if not isinstance(item, dict | list) else '[]'}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                body = to_yaml(item, indent + 1).lstrip()
                lines.append(f"{pad}- {body}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    else:
        lines.append(pad + _scalar(value))
    return "\n".join(lines)
