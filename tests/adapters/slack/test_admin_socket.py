"""Admin check (users.info, allowlists) and Socket Mode against the fake."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from bot.adapters.slack.adapter import SlackAdapter
from tests.adapters.slack.conftest import SendCommand, command_sender, start_adapter
from tests.fakes.slack_api import FakeSlack

SUBSCRIBE = "subscribe ceasefire daily 09:00 Europe/Kyiv"


async def _answer_text(fake: FakeSlack, status: int, body: str, name: str) -> str:
    assert status == 200
    if body:
        return body
    await fake.wait_for(lambda: bool(fake.responses[name]))
    return json.dumps(fake.responses[name][0])


async def test_workspace_admin_and_owner_via_users_info(send: SendCommand, fake: FakeSlack) -> None:
    assert "Subscribed" in await _answer_text(fake, *(await send(SUBSCRIBE, user="UADMIN")))
    assert "Updated" in await _answer_text(fake, *(await send(SUBSCRIBE, user="UOWNER")))
    assert "admins" in await _answer_text(fake, *(await send("unsubscribe ceasefire", user="U1")))
    before = len(fake.calls_to("users.info"))
    await send("subscriptions", user="UADMIN")
    assert len(fake.calls_to("users.info")) == before  # cached


@pytest.mark.parametrize("allow", ["U1", "S0ADMINS"])
async def test_allowlisted_user_or_group(seeded: Any, slack_settings: Any, fake: FakeSlack, allow: str) -> None:
    fake.groups["S0ADMINS"] = ["U1"]
    adapter = await start_adapter(seeded, slack_settings.model_copy(update={"slack_admins": f"UOTHER, {allow}"}))
    try:
        answer = await _answer_text(fake, *(await command_sender(adapter, fake)(SUBSCRIBE, user="U1")))
        assert "Subscribed" in answer
        assert not fake.calls_to("users.info")
    finally:
        await adapter.stop()


async def test_dm_is_reported_as_dm(send: SendCommand, fake: FakeSlack) -> None:
    answer = await _answer_text(
        fake, *(await send(SUBSCRIBE, user="UADMIN", channel="D1", channel_name="directmessage"))
    )
    assert "direct message" in answer


@pytest.fixture
async def socket_adapter(seeded: Any, slack_settings: Any) -> AsyncIterator[SlackAdapter]:
    settings = slack_settings.model_copy(
        update={"slack_mode": "auto", "slack_app_token": SecretStr("xapp-1"), "slack_signing_secret": None}
    )
    running = await start_adapter(seeded, settings)
    yield running
    await running.stop()


def _envelope(fake: FakeSlack, envelope_id: str, text: str, command: str = "/news") -> dict[str, Any]:
    payload = {
        "team_id": "T1",
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": "U1",
        "command": command,
        "text": text,
        "response_url": fake.response_url(envelope_id),
        "api_app_id": "A0NEWS",
    }
    return {"envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True, "payload": payload}


async def test_socket_mode_acknowledges_and_answers(socket_adapter: SlackAdapter, fake: FakeSlack) -> None:
    assert socket_adapter.socket_mode and fake.calls_to("apps.connections.open")
    await fake.send_envelope(_envelope(fake, "e1", "help"))
    await fake.wait_for(lambda: any(a.get("envelope_id") == "e1" for a in fake.socket_acks))
    ack = next(a for a in fake.socket_acks if a.get("envelope_id") == "e1")
    assert "newsbot commands" in json.dumps(ack.get("payload"))
    await fake.send_envelope(_envelope(fake, "e2", "", command="/ceasefire-status"))  # slow: answered later
    await fake.wait_for(lambda: any(a.get("envelope_id") == "e2" for a in fake.socket_acks))
    await fake.wait_for(lambda: bool(fake.responses["e2"]))
    assert "ceasefire" in json.dumps(fake.responses["e2"][0]).lower()
