"""One workspace (a bot token from the environment) or many (OAuth v2 install, with slack-sdk's
SQLAlchemy installation and state stores on the bot's own database; Alembic owns their tables),
and what an uninstall stops."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.slack.manifest import BOT_SCOPES
from bot.adapters.slack.wire import PLATFORM, workspace_of
from bot.services import Services

__all__ = [
    "INSTALL_PATH",
    "REDIRECT_PATH",
    "InstalledTokens",
    "StaticToken",
    "oauth_settings",
    "pause_workspace",
    "register_uninstall",
]

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


class StaticToken:
    """Single-workspace mode: the one bot token from ``SLACK_BOT_TOKEN``."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def bot_token(self, workspace_id: str) -> str | None:
        """The token, whatever the workspace (there is only one)."""
        return self._token


class InstalledTokens:
    """Multi-workspace mode: each workspace's bot token from the installation store."""

    def __init__(self, store: AsyncSQLAlchemyInstallationStore) -> None:
        self.store = store

    async def bot_token(self, workspace_id: str) -> str | None:
        """The newest bot token installed in ``workspace_id`` (a team, else an org-wide install)."""
        bot = await self.store.async_find_bot(enterprise_id=None, team_id=workspace_id)
        if bot is None:
            bot = await self.store.async_find_bot(enterprise_id=workspace_id, team_id=None, is_enterprise_install=True)
        return bot.bot_token if bot is not None else None


def oauth_settings(client_id: str, client_secret: str, engine: AsyncEngine) -> AsyncOAuthSettings:
    """Bolt's OAuth settings with the stores on ``engine`` (tables created by migration 0004)."""
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine),
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )


async def pause_workspace(svc: Services, workspace_id: str, reason: str) -> int:
    """Pause every Slack subscription of ``workspace_id`` with ``reason``; returns how many."""
    subs = await svc.db.subscriptions.list(platform=PLATFORM, workspace_id=workspace_id)
    for sub in subs:
        if not sub.paused_reason:
            await svc.db.subscriptions.set_paused(sub.id, reason)
    log.warning("slack workspace %s: %d subscription(s) paused: %s", workspace_id, len(subs), reason)
    return len(subs)


def register_uninstall(app: AsyncApp, svc: Services, store: AsyncSQLAlchemyInstallationStore | None) -> None:
    """``app_uninstalled`` and ``tokens_revoked`` (bot token): forget the installation, pause the work."""

    async def on_uninstalled(body: Mapping[str, Any]) -> None:
        team, org = body.get("team_id"), body.get("enterprise_id")
        if store is not None:
            await store.async_delete_all(enterprise_id=org, team_id=team)
        await pause_workspace(svc, workspace_of(team, org), "the Slack app was uninstalled from this workspace")

    async def on_tokens_revoked(body: Mapping[str, Any]) -> None:
        team, org = body.get("team_id"), body.get("enterprise_id")
        tokens: Mapping[str, Any] = (body.get("event") or {}).get("tokens") or {}
        if store is not None:
            for user_id in tokens.get("oauth") or []:
                await store.async_delete_installation(enterprise_id=org, team_id=team, user_id=user_id)
        if tokens.get("bot"):
            if store is not None:
                await store.async_delete_bot(enterprise_id=org, team_id=team)
            await pause_workspace(svc, workspace_of(team, org), "the Slack app's bot token was revoked")

    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)
