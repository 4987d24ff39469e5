"""The Slack payloads the adapter reads, typed once at the edge, and their translation into
platform-neutral requests. Nothing here decides anything: it only converts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict, cast

from bot.handlers.request import ChannelRef, UserRef

__all__ = [
    "SlashCommand",
    "action_request",
    "channel_ref",
    "command_line",
    "slash_command",
    "user_ref",
    "workspace_of",
]

PLATFORM = "slack"


class SlashCommand(TypedDict):
    """The form fields of a slash-command request (``application/x-www-form-urlencoded``)."""

    command: str
    text: str
    user_id: str
    channel_id: str
    response_url: str
    team_id: NotRequired[str]
    enterprise_id: NotRequired[str]
    is_enterprise_install: NotRequired[str]
    user_name: NotRequired[str]
    channel_name: NotRequired[str]
    api_app_id: NotRequired[str]


def slash_command(body: Mapping[str, Any]) -> SlashCommand:
    """Type a Bolt command ``body``; missing required fields become empty strings."""
    fields = {k: str(body.get(k) or "") for k in ("command", "text", "user_id", "channel_id", "response_url")}
    extra = {
        k: str(body[k])
        for k in ("team_id", "enterprise_id", "is_enterprise_install", "user_name", "channel_name", "api_app_id")
        if body.get(k)
    }
    return cast(SlashCommand, {**fields, **extra})


def workspace_of(team_id: str | None, enterprise_id: str | None) -> str:
    """The workspace id a Slack request or subscription is scoped by: the team, else the org."""
    return team_id or enterprise_id or ""


def command_line(cmd: SlashCommand) -> str:
    """``/news digest ceasefire`` or ``/ceasefire-status since:24h``: what the user typed."""
    return f"{cmd['command']} {cmd['text']}".strip()


def channel_ref(cmd: SlashCommand) -> ChannelRef:
    """Where the command was typed. Slack names DM channels ``directmessage`` (ids start with D)."""
    is_dm = cmd.get("channel_name") == "directmessage" or cmd["channel_id"].startswith("D")
    workspace = workspace_of(cmd.get("team_id"), cmd.get("enterprise_id"))
    return ChannelRef(PLATFORM, workspace, cmd["channel_id"], is_dm=is_dm)


def user_ref(cmd: SlashCommand, *, is_admin: bool) -> UserRef:
    """Who typed it; ``is_admin`` is what the platform (or the allowlist) says."""
    return UserRef(cmd["user_id"], cmd.get("user_name", ""), is_admin=is_admin)


def action_request(body: Mapping[str, Any]) -> tuple[str, str, ChannelRef] | None:
    """From a ``block_actions`` payload: the command line the pressed button carries (its
    ``value``), who pressed it, and where; None when the payload carries no button value."""
    actions = body.get("actions") or []
    value = actions[0].get("value") if actions and isinstance(actions[0], Mapping) else None
    user = body.get("user") or {}
    if not isinstance(value, str) or not value.strip() or not user.get("id"):
        return None
    channel = body.get("channel") or {}
    channel_id = str(channel.get("id") or (body.get("container") or {}).get("channel_id") or "")
    team = (body.get("team") or {}).get("id") or user.get("team_id")
    enterprise = (body.get("enterprise") or {}).get("id") if isinstance(body.get("enterprise"), Mapping) else None
    ref = ChannelRef(PLATFORM, workspace_of(team, enterprise), channel_id, is_dm=channel_id.startswith("D"))
    return value, str(user["id"]), ref
