"""/news search, quotes and story, and the buttons under digests (Block Kit ``block_actions``),
through the real Bolt app behind its aiohttp server, signed like Slack."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.adapters.slack.adapter import SlackAdapter
from tests.adapters.slack.conftest import SECRET, SendCommand
from tests.fakes.slack_api import FakeSlack, signed_request


def _text(payload: dict[str, Any]) -> str:
    return json.dumps(payload.get("blocks", []), ensure_ascii=False) + payload.get("text", "")


async def _answer(fake: FakeSlack, status: int, body: str, name: str) -> dict[str, Any]:
    assert status == 200, body
    if body:
        return dict(json.loads(body))
    await fake.wait_for(lambda: bool(fake.responses[name]))
    return fake.responses[name][0]


def _buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in payload.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


async def _press(adapter: SlackAdapter, fake: FakeSlack, value: str, *, user: str = "U1") -> tuple[int, str, float]:
    """Press a button whose value is ``value`` (a block_actions request); returns the HTTP status,
    the response_url name, and how long the ack took."""
    name = f"press-{time.monotonic_ns()}"
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "ana", "team_id": "T1"},
        "api_app_id": "A0NEWS",
        "token": "legacy",
        "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": "C1"},
        "trigger_id": "1.2.3",
        "team": {"id": "T1", "domain": "one"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": "C1", "name": "general"},
        "response_url": fake.response_url(name),
        "actions": [
            {"action_id": "newsbot:0", "block_id": "b1", "type": "button", "value": value,
             "text": {"type": "plain_text", "text": "Full story"}, "action_ts": "1700000001.000001"}
        ],
    }  # fmt: skip
    body = urlencode({"payload": json.dumps(payload)})
    url = f"http://127.0.0.1:{adapter.port}/slack/events"
    started = time.monotonic()
    headers = signed_request(SECRET, body)
    async with aiohttp.ClientSession() as session, session.post(url, data=body, headers=headers) as resp:
        return resp.status, name, time.monotonic() - started


async def _story_id(adapter: SlackAdapter) -> int:
    [article] = await adapter.bridge.svc.db.articles.recent(limit=1)
    return article.story_id


async def test_search_quotes_and_story(send: SendCommand, fake: FakeSlack, adapter: SlackAdapter) -> None:
    story = await _story_id(adapter)
    for command, expected in (
        ('search "Shahed drones" Kyiv', ["shahed drones", "Drone Attacks Persist"]),
        ("quotes Zelensky", ["Volodymyr Zelensky", "buy time"]),
        (f"story {story}", ["Timeline", "Key quotes", "108 Iranian-made Shahed drones"]),
    ):
        answer = await _answer(fake, *(await send(command)))
        assert answer["response_type"] == "ephemeral", command
        for words in expected:
            assert words in _text(answer), (command, words)
        if not command.startswith("story"):
            assert f"story {story}" in [b["value"] for b in _buttons(answer)]


async def test_bad_input_gets_one_private_line(send: SendCommand, fake: FakeSlack) -> None:
    for command, problem, hint in (
        ("search", "What should I search for?", "/news search"),
        ("search " + "y" * 500, "characters long", "/news search"),
        ("search ceasefire NOT truce", "operators", "/news search"),
        ("search zzyzx", "Nothing matches", "every word"),
        ("quotes", "Whose quotes?", "/news quotes Zelensky"),
        ("quotes Nobody", "No quotes by Nobody", "/news quotes"),
        ("story", "Which story?", "/news story 12"),
        ("story twelve", "not a story id", "/news story 12"),
        ("story 424242", "No story 424242", "/news search"),
    ):
        answer = await _answer(fake, *(await send(command)))
        assert answer["response_type"] == "ephemeral", command
        assert problem in answer["blocks"][0]["text"]["text"], (command, answer["blocks"][0])
        assert hint in _text(answer), (command, hint)


async def test_digest_items_carry_the_buttons(send: SendCommand, fake: FakeSlack, adapter: SlackAdapter) -> None:
    story = await _story_id(adapter)
    answer = await _answer(fake, *(await send("digest ceasefire")))
    buttons = _buttons(answer)
    assert [b["value"] for b in buttons] == [f"story {story}", "feeds mute CNN"]
    assert buttons[0]["text"]["text"] == f"Full story #{story}"
    assert buttons[1]["confirm"]["text"]["text"].startswith("Leave CNN out")  # Slack asks first
    assert all(b["action_id"].startswith("newsbot:") for b in buttons)


async def test_full_story_button_answers_privately(adapter: SlackAdapter, fake: FakeSlack) -> None:
    story = await _story_id(adapter)
    status, name, took = await _press(adapter, fake, f"story {story}")
    assert status == 200 and took < 3.0  # acked at once
    await fake.wait_for(lambda: bool(fake.responses[name]))
    answer = fake.responses[name][0]
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "Timeline" in _text(answer) and "Key figures" in _text(answer)


async def test_mute_button_is_for_admins(adapter: SlackAdapter, fake: FakeSlack) -> None:
    scope = ("slack", "T1")
    status, name, _ = await _press(adapter, fake, "feeds mute CNN", user="U1")
    assert status == 200
    await fake.wait_for(lambda: bool(fake.responses[name]))
    assert "Only workspace admins" in _text(fake.responses[name][0])
    assert await adapter.bridge.svc.db.feeds.mutes(scope) == []
    status, name, took = await _press(adapter, fake, "feeds mute CNN", user="UADMIN")
    assert status == 200 and took < 3.0
    await fake.wait_for(lambda: bool(fake.responses[name]))
    assert "Muted CNN" in _text(fake.responses[name][0])
    assert fake.responses[name][0]["response_type"] == "ephemeral"
    assert await adapter.bridge.svc.db.feeds.mutes(scope) == ["cnn"]
