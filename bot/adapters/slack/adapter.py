"""The Slack adapter (replaced by the full adapter work; until then it refuses to start, clearly)."""

from __future__ import annotations

from bot.adapters.base import Adapter
from bot.services import Services
from bot.settings import Settings

__all__ = ["build_slack_adapter"]


def build_slack_adapter(svc: Services, settings: Settings) -> Adapter:
    """Build the Slack adapter from settings."""
    raise SystemExit(
        "error: the Slack adapter is not available in this build; unset the Slack credentials to run the console"
    )
