"""/news search, quotes and story, the buttons under digests and answers, and the people
autocomplete, through the real discord.py client and the fake Discord."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from tests.adapters.discord.conftest import GUILD, MANAGE_GUILD
from tests.conftest import SEED
from tests.fakes.discord_api import Call, FakeDiscord
from tests.fakes.discord_payloads import command_option as opt

EPHEMERAL = 64


@pytest.fixture
async def seeded(adapter: DiscordAdapter) -> DiscordAdapter:
    from bot.app import ingest_paths

    await ingest_paths(adapter.svc.db, [SEED])
    return adapter


async def _answers(fake: FakeDiscord, payload: dict[str, Any], followups: int = 0) -> list[Call]:
    await fake.wait_for(lambda: fake.callbacks(payload) and len(fake.followups(payload)) >= followups)
    return [*fake.callbacks(payload), *fake.followups(payload)]


def _body(call: Call) -> dict[str, Any]:
    """The message of a callback (type 4) or a follow-up."""
    return dict(call.body["data"]) if "data" in call.body else dict(call.body)


def _text(body: dict[str, Any]) -> str:
    return json.dumps(body.get("embeds", []), ensure_ascii=False).replace("\\\\", "")


def _buttons(body: dict[str, Any]) -> list[str]:
    return [b["custom_id"] for row in body.get("components", []) for b in row["components"]]


async def _story_id(seeded: DiscordAdapter) -> int:
    [article] = await seeded.svc.db.articles.recent(limit=1)
    return article.story_id


async def test_search_quotes_and_story_answer_privately_at_once(fake: FakeDiscord, seeded: DiscordAdapter) -> None:
    story = await _story_id(seeded)
    cases = [
        ("search", [opt("query", '"Shahed drones" Kyiv')], ["Search", "shahed drones", "Drone Attacks Persist"]),
        ("quotes", [opt("person", "Zelensky")], ["Volodymyr Zelensky", "buy time"]),
        ("story", [opt("id", str(story))], ["Timeline", "Key quotes", "108 Iranian-made Shahed drones"]),
    ]
    for command, options, expected in cases:
        payload = await fake.interact("news", options, subcommand=command, guild_id=GUILD)
        [callback] = await _answers(fake, payload)
        assert callback.body["type"] == 4, command  # answered in the first reply, not deferred
        assert callback.at - fake._interactions[payload["id"]] < 3.0
        body = _body(callback)
        assert body["flags"] & EPHEMERAL, command
        for words in expected:
            assert words in _text(body), (command, words)
        if command != "story":
            assert f"newsbot:story {story}" in _buttons(body), command  # "Full story" under each result


async def test_bad_input_gets_one_private_line_saying_what_to_type(fake: FakeDiscord, seeded: DiscordAdapter) -> None:
    cases = [
        ("search", [opt("query", "drones OR missiles")], "operators", "/news search"),
        ("search", [opt("query", "x" * 500)], "characters long", "/news search"),
        ("search", [opt("query", "zzyzx")], "Nothing matches", "words"),
        ("quotes", [opt("person", "Nobody Special")], "No quotes by Nobody Special", "Zelensky"),
        ("story", [opt("id", "abc")], "not a story id", "/news story 12"),
        ("story", [opt("id", "99999")], "No story 99999", "/news search"),
    ]
    for command, options, problem, hint in cases:
        payload = await fake.interact("news", options, subcommand=command, guild_id=GUILD)
        [callback] = await _answers(fake, payload)
        body = _body(callback)
        assert callback.body["type"] == 4 and body["flags"] & EPHEMERAL, command
        assert problem in body["embeds"][0]["title"], (command, body["embeds"][0]["title"])
        assert hint in _text(body), (command, hint)


async def test_full_story_button_answers_privately_with_the_story(fake: FakeDiscord, seeded: DiscordAdapter) -> None:
    story = await _story_id(seeded)
    payload = await fake.interact("news", [opt("topic", "ceasefire")], subcommand="digest", guild_id=GUILD)
    _, digest = await _answers(fake, payload, followups=1)
    buttons = _buttons(digest.body)
    assert buttons[:2] == [f"newsbot:story {story}", "newsbot:feeds mute CNN"]
    labels = [b["label"] for row in digest.body["components"] for b in row["components"]]
    assert labels[:2] == [f"Full story #{story}", "Mute CNN"]

    click = await fake.click(buttons[0], guild_id=GUILD)
    [callback] = await _answers(fake, click)
    assert callback.body["type"] == 4 and callback.at - fake._interactions[click["id"]] < 3.0
    body = _body(callback)
    assert body["flags"] & EPHEMERAL
    assert "Timeline" in _text(body) and "Key figures" in _text(body)


async def test_mute_button_is_for_admins_and_reuses_feeds_mute(fake: FakeDiscord, seeded: DiscordAdapter) -> None:
    scope = ("discord", str(GUILD))
    click = await fake.click("newsbot:feeds mute CNN", guild_id=GUILD)
    callback, followup = await _answers(fake, click, followups=1)  # feeds is slow: deferred first
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
    assert "Only workspace admins" in _body(followup)["embeds"][0]["title"]
    assert _body(followup)["flags"] & EPHEMERAL
    assert await seeded.svc.db.feeds.mutes(scope) == []

    click = await fake.click("newsbot:feeds mute CNN", guild_id=GUILD, permissions=MANAGE_GUILD)
    callback, followup = await _answers(fake, click, followups=1)
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL  # private, in time
    assert callback.at - fake._interactions[click["id"]] < 3.0
    assert "Muted CNN" in _body(followup)["embeds"][0]["title"]
    assert await seeded.svc.db.feeds.mutes(scope) == ["cnn"]


async def test_a_button_that_is_not_ours_or_cannot_be_read(fake: FakeDiscord, seeded: DiscordAdapter) -> None:
    click = await fake.click('newsbot:story "unbalanced', guild_id=GUILD)
    [callback] = await _answers(fake, click)
    assert "Cannot read that command" in _body(callback)["embeds"][0]["title"]
    other = await fake.click("someone-else:thing", guild_id=GUILD)
    await fake.wait_for(lambda: fake.callbacks(click))
    assert not fake.callbacks(other)  # not ours: left alone


async def test_autocomplete_offers_people_with_quotes_and_topics(fake: FakeDiscord, seeded: DiscordAdapter) -> None:
    payload = await fake.interact(
        "news", [opt("person", "zel", focused=True)], subcommand="quotes", guild_id=GUILD, kind=4
    )
    [callback] = await _answers(fake, payload)
    assert callback.body["type"] == 8
    assert [c["value"] for c in callback.body["data"]["choices"]] == ["Volodymyr Zelensky"]
    payload = await fake.interact(
        "news", [opt("query", "drones"), opt("topic", "cease", focused=True)], subcommand="search", guild_id=GUILD,
        kind=4,
    )  # fmt: skip
    [callback] = await _answers(fake, payload)
    assert [c["value"] for c in callback.body["data"]["choices"]] == ["ceasefire"]
