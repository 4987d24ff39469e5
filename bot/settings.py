"""Settings: one pydantic-settings model read from the environment (prefix ``NEWSBOT_``).

Secrets (Discord and Slack tokens) come only from the environment, under the platforms' own
names, and are held as ``SecretStr`` so that they never show up in logs or reprs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Every knob of the bot. Build with ``Settings()``; invalid values stop start-up."""

    model_config = SettingsConfigDict(env_prefix="NEWSBOT_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///data/newsbot.db"
    config_dir: Path = Path("config")
    seeds_dir: Path | None = Path("seeds")
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    verbose: bool = False  # libraries' INFO lines too (Alembic's migration steps); ``newsbot --verbose``
    timezone: str = "UTC"
    digest_max_stories: int = Field(default=5, ge=1, le=25)
    summary_sentences: int = Field(default=3, ge=1, le=10)
    digest_cooldown_seconds: int = Field(default=60, ge=0, le=3600)
    delivery_grace_hours: float = Field(default=6.0, ge=0)
    live_min_interval_minutes: int = Field(default=10, ge=1, le=1440)

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
    slack_client_id: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_ID", "NEWSBOT_SLACK_CLIENT_ID")
    )
    slack_client_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET", "NEWSBOT_SLACK_CLIENT_SECRET")
    )
    # Slack adapter: "auto" is Socket Mode when SLACK_APP_TOKEN is set, else HTTP.
    slack_mode: Literal["auto", "http", "socket"] = "auto"
    slack_host: str = "0.0.0.0"  # HTTP mode: where the /slack/events server listens
    slack_port: int = Field(default=3000, ge=0, le=65535)
    slack_api_url: str = "https://slack.com/api/"  # Web API base URL (tests point it at a stand-in)
    slack_command: str = Field(default="news", pattern=r"^[a-z0-9][a-z0-9_-]{0,30}$")  # /news
    slack_admins: str = ""  # extra admins: user (U…/W…) or user-group (S…) IDs, comma-separated

    # Discord (issue 7). Defaults talk to Discord itself; the overrides point at a stand-in (tests).
    discord_dev_guild: int | None = None  # sync commands to this guild only (instant; development)
    discord_shard_count: Annotated[int, Field(ge=1)] | Literal["auto"] | None = None  # "auto": ask Discord
    discord_shard_ids: Annotated[list[int] | None, NoDecode] = None  # "0,1" or "0-3"; needs shard_count
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    discord_gateway: bool = True  # False: REST only (a delivery worker posting digests, no commands)
    discord_sync_at_start: bool = True  # sync app commands at start when their hash changed
    discord_guild_ready_timeout: float = Field(default=2.0, gt=0)  # quiet seconds after the last GUILD_CREATE
    discord_global_rate: float = Field(default=50.0, gt=0)  # requests per second per bot token
    discord_processes: int = Field(default=1, ge=1)  # processes sharing the token: each gets a share

    # Feeds and pages (issue 4): fetch limits and the SSRF allowlist.
    fetch_allowlist: str = ""  # hosts, addresses or networks (comma-separated) allowed even when private
    fetch_only_allowlist: bool = False  # 1: fetch nothing outside the allowlist (tests, benchmarks)
    fetch_host_delay: float = Field(default=1.0, ge=0)  # seconds between request starts to one host
    fetch_deadline: float = Field(default=30.0, gt=0)  # overall seconds per fetch, redirects included
    fetch_max_bytes: int = Field(default=5 * 2**20, ge=1024)  # decoded body cap
    poll_tick_seconds: float = Field(default=60.0, gt=0)  # how often the poller looks for due feeds

    # Retention (issue 9): the full text of articles older than this many days is pruned (the
    # summary, quotes, figures and link stay); unset keeps everything. `newsbot db prune` too.
    retention_days: int | None = Field(default=None, ge=1)

    # Work sharing (issue 9): on PostgreSQL, deliveries and feed polls go through a Procrastinate
    # queue that every worker process takes from; "in-process" turns it off (one process only).
    work_queue: Literal["auto", "procrastinate", "in-process"] = "auto"
    queue_concurrency: int = Field(default=16, ge=1)  # jobs one worker process runs at a time
    queue_stalled_seconds: float = Field(default=15.0, gt=0)  # no heartbeat this long: its jobs are retried

    # Health and metrics (issue 9): /healthz, /readyz, /metrics; off unless a port is set (0: any free port).
    http_port: int | None = Field(default=None, ge=0, le=65535)
    http_host: str = "127.0.0.1"

    @field_validator("database_url")
    @classmethod
    def _async_database_url(cls, value: str) -> str:
        from digests.store.engine import async_database_url

        return async_database_url(value)  # its DatabaseUrlError is a ValueError: pydantic reports it

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA timezone {value!r} (for example Europe/Kyiv)") from None
        return value

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _shard_ids(cls, value: object) -> object:
        """Accept ``0,1,2``, a range ``0-3`` (inclusive) or a list."""
        if not isinstance(value, str):
            return value
        ids: list[int] = []
        for part in (p.strip() for p in value.split(",") if p.strip()):
            first, _, last = part.partition("-")
            if not first.isdigit() or (last and not last.isdigit()):
                raise ValueError(f"shard ids look like 0,1,2 or 0-3, not {value!r}")
            ids.extend(range(int(first), int(last or first) + 1))
        return ids or None

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.discord_shard_ids is not None:
            if not isinstance(self.discord_shard_count, int):
                raise ValueError("NEWSBOT_DISCORD_SHARD_IDS needs a fixed NEWSBOT_DISCORD_SHARD_COUNT (the total)")
            bad = [i for i in self.discord_shard_ids if not 0 <= i < self.discord_shard_count]
            if bad:
                raise ValueError(f"shard ids {bad} are outside 0..{self.discord_shard_count - 1}")
        return self

    @property
    def discord_rate_share(self) -> float:
        """This process's share of the global Discord request budget, in requests per second."""
        return self.discord_global_rate / self.discord_processes

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
        if self.slack_bot_token or self.slack_app_token or self.slack_oauth:
            found.append("slack")
        return found or ["console"]

    @property
    def slack_oauth(self) -> bool:
        """Multi-workspace Slack (OAuth install) when both the client id and secret are set."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_socket_mode(self) -> bool:
        """Whether the Slack adapter connects through Socket Mode rather than serving HTTP."""
        if self.slack_mode == "auto":
            return self.slack_app_token is not None
        return self.slack_mode == "socket"

    @property
    def slack_admin_ids(self) -> frozenset[str]:
        """The allowlist of Slack admin user and user-group IDs."""
        return frozenset(part.strip() for part in self.slack_admins.split(",") if part.strip())
