"""Fixtures for the Slack adapter: the fake Slack, the real adapter serving on 127.0.0.1, and a
helper that sends signed slash commands to it over HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from itertools import count
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from pydantic import SecretStr

from bot.adapters.slack.adapter import SlackAdapter
from tests.conftest import SEED
from tests.fakes.slack_api import FakeSlack, signed_request

SECRET = "shh-signing-secret"
SendCommand = Callable[..., Awaitable[tuple[int, str, str]]]


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = await FakeSlack().start()
    server.users.update({"U1": {"is_admin": False}, "UADMIN": {"is_admin": True}, "UOWNER": {"is_owner": True}})
    yield server
    await server.close()


@pytest.fixture
def slack_settings(settings: Any, fake: FakeSlack) -> Any:
    return settings.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-one"),
            "slack_signing_secret": SecretStr(SECRET),
            "slack_api_url": fake.api_url,
            "slack_host": "127.0.0.1",
            "slack_port": 0,
            "slack_mode": "http",
        }
    )


@pytest.fixture
async def seeded(svc: Any) -> Any:
    from bot.app import ingest_paths

    await ingest_paths(svc.db, [SEED])
    return svc


async def start_adapter(svc: Any, settings: Any) -> SlackAdapter:
    svc.settings = settings
    adapter = SlackAdapter(svc, settings)
    await adapter.start()
    return adapter


@pytest.fixture
async def adapter(seeded: Any, slack_settings: Any) -> AsyncIterator[SlackAdapter]:
    running = await start_adapter(seeded, slack_settings)
    yield running
    await running.stop()


_ids = count(1)


def command_sender(adapter: SlackAdapter, fake: FakeSlack) -> SendCommand:
    """``await send(text, command="/news", ...) -> (status, body, response name)``."""

    async def send(
        text: str,
        *,
        command: str = "/news",
        user: str = "U1",
        channel: str = "C1",
        team: str = "T1",
        secret: str = SECRET,
        timestamp: int | None = None,
        channel_name: str = "general",
    ) -> tuple[int, str, str]:
        name = f"r{next(_ids)}"
        form = {
            "token": "legacy",
            "team_id": team,
            "team_domain": "one",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": "ana",
            "command": command,
            "text": text,
            "api_app_id": "A0NEWS",
            "response_url": fake.response_url(name),
            "trigger_id": "1.2.3",
        }
        body = urlencode(form)
        headers = signed_request(secret, body, timestamp=timestamp)
        url = f"http://127.0.0.1:{adapter.port}/slack/events"
        async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as resp:
            return resp.status, await resp.text(), name

    return send


@pytest.fixture
def send(adapter: SlackAdapter, fake: FakeSlack) -> SendCommand:
    return command_sender(adapter, fake)


def stale() -> int:
    """A timestamp more than five minutes old."""
    return int(time.time()) - 301
