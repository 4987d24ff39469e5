"""OAuth v2 install into several workspaces (stores on our database), per-workspace tokens for
scheduled posts, and uninstall/revocation pausing a workspace's work."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from pydantic import SecretStr

from bot.adapters.slack.adapter import SlackAdapter
from bot.delivery import Paused, Posted, Target
from digests.message import Message
from tests.adapters.slack.conftest import SECRET, command_sender, start_adapter
from tests.fakes.slack_api import FakeSlack, signed_request

# slack-sdk's oauth.v2.access still builds an aiohttp.BasicAuth (deprecated in aiohttp 3.14): theirs to fix.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


@pytest.fixture
async def oauth_adapter(seeded: Any, slack_settings: Any, fake: FakeSlack) -> AsyncIterator[SlackAdapter]:
    settings = slack_settings.model_copy(
        update={"slack_bot_token": None, "slack_client_id": "111.222", "slack_client_secret": SecretStr("cs")}
    )
    fake.installs = {
        "code-two": {"id": "T2", "name": "Two", "token": "xoxb-two"},
        "code-three": {"id": "T3", "name": "Three", "token": "xoxb-three"},
    }
    running = await start_adapter(seeded, settings)
    yield running
    await running.stop()


async def _install(adapter: SlackAdapter, code: str) -> None:
    base = f"http://127.0.0.1:{adapter.port}"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}/slack/install", allow_redirects=False) as resp:
            assert resp.status in (200, 302), await resp.text()
            cookie = resp.headers["Set-Cookie"].split(";")[0]
            state = re.search(r"state=([\w-]+)", await resp.text() + resp.headers.get("Location", ""))
            assert state is not None
        url = f"{base}/slack/oauth_redirect?" + urlencode({"code": code, "state": state.group(1)})
        async with session.get(url, headers={"Cookie": cookie}, allow_redirects=False) as resp:
            assert resp.status in (200, 302), await resp.text()


async def _event(adapter: SlackAdapter, team: str, event: dict[str, Any]) -> int:
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A0NEWS",
            "type": "event_callback",
            "event": event,
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "authorizations": [],
        }
    )
    headers = {**signed_request(SECRET, body), "Content-Type": "application/json"}
    url = f"http://127.0.0.1:{adapter.port}/slack/events"
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as resp:
        return resp.status


async def _paused_reason(svc: Any, sub_id: int) -> str:
    """The subscription's pause reason, once the event listener (run after the ack) has set it."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        reason = (await svc.db.subscriptions.get(sub_id)).paused_reason
        if reason:
            return str(reason)
        await asyncio.sleep(0.02)
    raise AssertionError("the subscription was not paused")


async def test_two_workspaces_post_with_their_own_tokens(oauth_adapter: SlackAdapter, fake: FakeSlack) -> None:
    await _install(oauth_adapter, "code-two")
    await _install(oauth_adapter, "code-three")
    assert len(fake.calls_to("oauth.v2.access")) == 2
    for team in ("T2", "T3"):
        result = await oauth_adapter.publisher.post(Target("slack", team, f"C{team}"), Message("hi"), key=f"k-{team}")
        assert isinstance(result, Posted)
    tokens = {c.params["channel"]: c.token for c in fake.calls_to("chat.postMessage")}
    assert tokens == {"CT2": "xoxb-two", "CT3": "xoxb-three"}
    missing = await oauth_adapter.publisher.post(Target("slack", "T9", "C9"), Message("hi"), key="k-9")
    assert isinstance(missing, Paused) and "not installed" in missing.reason


async def test_installed_workspace_runs_commands(oauth_adapter: SlackAdapter, fake: FakeSlack) -> None:
    await _install(oauth_adapter, "code-two")
    fake.users["U2"] = {"is_admin": True}
    status, body, _ = await command_sender(oauth_adapter, fake)("help", team="T2", user="U2")
    assert status == 200 and "newsbot commands" in body


async def test_uninstall_pauses_the_workspace(oauth_adapter: SlackAdapter, fake: FakeSlack, seeded: Any) -> None:
    await _install(oauth_adapter, "code-two")
    subs = seeded.db.subscriptions
    two, _ = await subs.upsert(
        platform="slack",
        workspace_id="T2",
        channel_id="C2",
        topic_id="ceasefire",
        schedule="daily 09:00",
        timezone="UTC",
    )
    three, _ = await subs.upsert(
        platform="slack",
        workspace_id="T3",
        channel_id="C3",
        topic_id="ceasefire",
        schedule="daily 09:00",
        timezone="UTC",
    )
    assert await _event(oauth_adapter, "T2", {"type": "app_uninstalled"}) == 200
    assert "uninstalled" in await _paused_reason(seeded, two.id)
    assert (await subs.get(three.id)).paused_reason is None
    result = await oauth_adapter.publisher.post(Target("slack", "T2", "C2"), Message("hi"), key="k-2")
    assert isinstance(result, Paused)  # the installation is gone too


async def test_bot_token_revoked_pauses_single_workspace(adapter: SlackAdapter, seeded: Any) -> None:
    sub, _ = await seeded.db.subscriptions.upsert(
        platform="slack",
        workspace_id="T1",
        channel_id="C1",
        topic_id="ceasefire",
        schedule="daily 09:00",
        timezone="UTC",
    )
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOTT1"]}}
    assert await _event(adapter, "T1", event) == 200
    assert "revoked" in await _paused_reason(seeded, sub.id)
