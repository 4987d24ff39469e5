"""The typed request every platform turns its slash command into."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ChannelRef", "CommandRequest", "UserRef"]


@dataclass(frozen=True, slots=True)
class UserRef:
    id: str
    name: str = ""
    is_admin: bool = False  # the adapter says what the platform says; handlers decide


@dataclass(frozen=True, slots=True)
class ChannelRef:
    platform: str  # "console", "slack", "discord"
    workspace_id: str
    channel_id: str
    is_dm: bool = False


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """``/news <command> <args...>`` as a platform-neutral request."""

    command: str
    args: tuple[str, ...]
    user: UserRef
    channel: ChannelRef
    options: dict[str, str] = field(default_factory=dict)  # key:value arguments (since:24h, share:yes)

    @property
    def share(self) -> bool:
        return self.options.get("share", "").lower() in {"yes", "true", "1", "on"}
