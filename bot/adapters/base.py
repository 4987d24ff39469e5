"""What every platform adapter offers the application.

An adapter translates: platform request → ``CommandRequest`` → ``dispatch`` → ``Reply`` → platform
render. It decides nothing. It also offers a ``Publisher`` for scheduled posts.
"""

from __future__ import annotations

from typing import Protocol

from bot.delivery import Publisher

__all__ = ["Adapter"]


class Adapter(Protocol):
    """Lifecycle of one platform connection."""

    name: str  # "console", "slack", "discord"
    publisher: Publisher

    async def start(self) -> None:
        """Connect (or start serving); return once ready."""

    async def wait(self) -> None:
        """Return when the adapter has stopped by itself (end of input, fatal error)."""

    async def stop(self) -> None:
        """Finish what is in flight and disconnect."""
