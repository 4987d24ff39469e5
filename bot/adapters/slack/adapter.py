"""The Slack adapter: a slack-bolt ``AsyncApp`` served over HTTP (aiohttp: ``/slack/events``, plus
``/slack/install`` and ``/slack/oauth_redirect`` when OAuth is configured) or connected through
Socket Mode, and a ``Publisher`` for scheduled posts. It translates; the handlers decide."""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.app.async_server import AsyncSlackAppServer
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from bot.adapters.base import Adapter
from bot.adapters.slack.admin import AdminCheck
from bot.adapters.slack.commands import CommandBridge
from bot.adapters.slack.install import InstalledTokens, StaticToken, oauth_settings, register_uninstall
from bot.adapters.slack.manifest import EVENTS_PATH
from bot.adapters.slack.publisher import SlackPublisher, TokenSource, web_client
from bot.delivery import Publisher
from bot.services import Services
from bot.settings import Settings
from digests.errors import ConfigError

__all__ = ["SlackAdapter", "build_slack_adapter"]

log = logging.getLogger(__name__)

ENV = "environment"


class SlackAdapter:
    """Lifecycle of the Slack connection: ``start`` serves (or connects), ``stop`` finishes answers."""

    name = "slack"

    def __init__(self, svc: Services, settings: Settings) -> None:
        self.settings = settings
        self.socket_mode = settings.slack_socket_mode
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        if self.socket_mode and settings.slack_app_token is None:
            raise ConfigError(ENV, "SLACK_APP_TOKEN", "Socket Mode needs an app-level token (xapp-...)")
        if not self.socket_mode and not secret:
            raise ConfigError(ENV, "SLACK_SIGNING_SECRET", "HTTP mode needs the app's signing secret")
        self.client = web_client(settings.slack_api_url)
        tokens: TokenSource
        if settings.slack_oauth:
            assert settings.slack_client_id and settings.slack_client_secret
            oauth = oauth_settings(
                settings.slack_client_id, settings.slack_client_secret.get_secret_value(), svc.db.engine
            )
            store = cast(AsyncSQLAlchemyInstallationStore, oauth.installation_store)  # built by oauth_settings
            self.app = AsyncApp(client=self.client, signing_secret=secret or "", oauth_settings=oauth)
            tokens = InstalledTokens(store)
            register_uninstall(self.app, svc, store)
        elif settings.slack_bot_token:
            token = settings.slack_bot_token.get_secret_value()
            self.client.token = token
            self.app = AsyncApp(client=self.client, signing_secret=secret or "")
            tokens = StaticToken(token)
            register_uninstall(self.app, svc, None)
        else:
            raise ConfigError(ENV, "SLACK_BOT_TOKEN", "set it, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth")
        self.bridge = CommandBridge(svc, AdminCheck(settings.slack_admin_ids), namespace=settings.slack_command)
        self.commands = self.bridge.register(self.app)
        self.publisher: Publisher = SlackPublisher(
            tokens, base_url=settings.slack_api_url, admins=settings.slack_admin_ids
        )
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._stopped = asyncio.Event()

    @property
    def port(self) -> int | None:
        """The HTTP port actually bound (useful with ``NEWSBOT_SLACK_PORT=0``)."""
        if self._runner is None:
            return None
        for address in self._runner.addresses:
            if isinstance(address, tuple):
                return int(address[1])
        return None

    async def start(self) -> None:
        """Serve ``/slack/events`` (HTTP mode) or open the Socket Mode connection."""
        if self.socket_mode:
            assert self.settings.slack_app_token is not None
            self._socket = AsyncSocketModeHandler(
                self.app, self.settings.slack_app_token.get_secret_value(), web_client=self.client
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("slack: connected through Socket Mode; commands %s", " ".join(self.commands))
            return
        server = AsyncSlackAppServer(port=self.settings.slack_port, path=EVENTS_PATH, app=self.app)
        self._runner = web.AppRunner(server.web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.slack_host, self.settings.slack_port)
        await site.start()
        log.info(
            "slack: serving %s on %s:%s; commands %s",
            EVENTS_PATH,
            self.settings.slack_host,
            self.port,
            " ".join(self.commands),
        )

    async def wait(self) -> None:
        """Return once ``stop`` has run (the Slack adapter never ends by itself)."""
        await self._stopped.wait()

    async def stop(self) -> None:
        """Stop taking requests, let answers in flight finish, then disconnect."""
        if self._socket is not None:
            await self._socket.disconnect_async()  # type: ignore[no-untyped-call]
        if self._runner is not None:
            await self._runner.shutdown()
        await self.bridge.drain()
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._stopped.set()


def build_slack_adapter(svc: Services, settings: Settings) -> Adapter:
    """Build the Slack adapter from settings (HTTP or Socket Mode; one workspace or OAuth)."""
    return SlackAdapter(svc, settings)
