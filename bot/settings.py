"""Settings: one pydantic-settings model read from the environment (prefix ``NEWSBOT_``).

Secrets (Discord and Slack tokens) come only from the environment, under the platforms' own
names, and are held as ``SecretStr`` so that they never show up in logs or reprs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Every knob of the bot. Build with ``Settings()``; invalid values stop start-up."""

    model_config = SettingsConfigDict(env_prefix="NEWSBOT_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///data/newsbot.db"
    config_dir: Path = Path("config")
    seeds_dir: Path | None = Path("seeds")
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    timezone: str = "UTC"
    digest_max_stories: int = Field(default=5, ge=1, le=25)
    summary_sentences: int = Field(default=3, ge=1, le=10)

    discord_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "NEWSBOT_DISCORD_TOKEN")
    )
    slack_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "NEWSBOT_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "NEWSBOT_SLACK_SIGNING_SECRET"),
    )
    slack_app_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "NEWSBOT_SLACK_APP_TOKEN")
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA timezone {value!r} (for example Europe/Kyiv)") from None
        return value

    @property
    def topics_file(self) -> Path:
        return self.config_dir / "topics.toml"

    @property
    def schedules_file(self) -> Path:
        return self.config_dir / "schedules.toml"

    @property
    def feeds_file(self) -> Path:
        return self.config_dir / "feeds.toml"

    @property
    def platforms(self) -> list[str]:
        """Adapters to run, from the credentials present; the console when there are none."""
        found = []
        if self.discord_token:
            found.append("discord")
        if self.slack_bot_token or self.slack_app_token:
            found.append("slack")
        return found or ["console"]
