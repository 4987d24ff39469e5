"""Slash commands through the real Bolt app behind its real aiohttp server, signed like Slack."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import pytest

from bot.handlers import COMMANDS
from digests.message import Message, Reply
from tests.adapters.slack.conftest import SendCommand, stale
from tests.fakes.slack_api import FakeSlack


def _text(payload: dict[str, Any]) -> str:
    return json.dumps(payload.get("blocks", []), ensure_ascii=False) + payload.get("text", "")


async def _answer(fake: FakeSlack, status: int, body: str, name: str) -> dict[str, Any]:
    """The answer: in the ack body, or the first message sent to the response_url."""
    assert status == 200, body
    if body:
        return dict(json.loads(body))
    await fake.wait_for(lambda: bool(fake.responses[name]))
    return fake.responses[name][0]


async def test_help_is_answered_in_the_ack(send: SendCommand, fake: FakeSlack) -> None:
    status, body, name = await send("help")
    answer = await _answer(fake, status, body, name)
    assert answer["response_type"] == "ephemeral"
    assert "/news digest" in _text(answer) and "/ceasefire-status" in _text(answer)


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("", "newsbot commands"),
        ("topics", "ceasefire"),
        ("digest ceasefire", "Putin"),
        ("status ceasefire", "ceasefire"),
        ("subscriptions", "ubscriptions"),
        ("settings", "UTC"),
        ("feeds", "eed"),
        ("unsubscribe ceasefire", "admins"),
        ("subscribe ceasefire daily 09:00", "admins"),
    ],
)
async def test_every_command_under_news(send: SendCommand, fake: FakeSlack, text: str, expect: str) -> None:
    status, body, name = await send(text)
    answer = await _answer(fake, status, body, name)
    assert expect in _text(answer)


async def test_alias_is_status_of_its_topic(send: SendCommand, fake: FakeSlack) -> None:
    alias = await _answer(fake, *(await send("", command="/ceasefire-status")))
    direct = await _answer(fake, *(await send("status ceasefire")))
    assert alias["blocks"][0] == direct["blocks"][0]  # the same topic and state
    # the second answer in the channel says what changed since the first (the alias's)
    assert "What changed since" not in _text(alias) and "What changed since" in _text(direct)


async def test_share_posts_in_channel(send: SendCommand, fake: FakeSlack) -> None:
    answer = await _answer(fake, *(await send("topics share:yes")))
    assert answer["response_type"] == "in_channel"


async def test_errors_are_ephemeral_with_a_hint(send: SendCommand, fake: FakeSlack) -> None:
    status, body, _ = await send("frobnicate")
    assert status == 200
    answer = json.loads(body)  # answered in the ack itself, at once
    assert answer["response_type"] == "ephemeral"
    assert "frobnicate" in _text(answer) and "/news help" in _text(answer)
    status, body, _ = await send('digest "unbalanced')
    assert status == 200 and json.loads(body)["response_type"] == "ephemeral"
    answer = await _answer(fake, *(await send("digest nosuchtopic")))
    assert answer["response_type"] == "ephemeral" and "Known: ceasefire" in _text(answer)


async def test_bad_signature_and_stale_timestamp_are_rejected(send: SendCommand, fake: FakeSlack) -> None:
    assert (await send("help", secret="wrong"))[0] == 401
    assert (await send("help", timestamp=stale()))[0] == 401
    assert not fake.responses


@pytest.mark.parametrize("slow_flag", [False, True])
async def test_ack_within_three_seconds_when_the_handler_is_slow(
    send: SendCommand, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch, slow_flag: bool
) -> None:
    import asyncio

    async def sluggish(req: Any, svc: Any) -> Reply:
        await asyncio.sleep(5)
        return Reply(Message("finally"), ephemeral=True)

    monkeypatch.setitem(COMMANDS, "topics", replace(COMMANDS["topics"], handler=sluggish, slow=slow_flag))
    started = time.monotonic()
    status, _, name = await send("topics")
    acked = time.monotonic() - started
    assert status == 200 and acked < 3.0, acked
    await fake.wait_for(lambda: bool(fake.responses[name]), within=10)
    assert time.monotonic() - started >= 5.0
    assert "finally" in _text(fake.responses[name][0])


async def test_topics_preview_shows_what_a_topic_would_match_and_why(send: SendCommand, fake: FakeSlack) -> None:
    answer = await _answer(fake, *(await send("topics preview ceasefire")))
    text = _text(answer)
    assert "Preview: Russia–Ukraine ceasefire talks" in text
    assert "Drone Attacks Persist Despite Trump-Putin Call" in text  # the seed's headline
    assert "in the title" in text  # and why it matches
    unknown = await _answer(fake, *(await send("topics preview nosuchtopic")))
    assert "Unknown topic" in _text(unknown)
