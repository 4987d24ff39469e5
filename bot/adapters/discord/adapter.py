"""The Discord adapter (replaced by the full adapter work; until then it refuses to start, clearly)."""

from __future__ import annotations

from bot.adapters.base import Adapter
from bot.services import Services
from bot.settings import Settings

__all__ = ["build_discord_adapter"]


def build_discord_adapter(svc: Services, settings: Settings) -> Adapter:
    """Build the Discord adapter from settings."""
    raise SystemExit(
        "error: the Discord adapter is not available in this build; unset the Discord credentials to run the console"
    )
