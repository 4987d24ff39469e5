"""Slash commands through the real discord.py client and the fake gateway: what reaches Discord."""

from __future__ import annotations

from typing import Any

from bot.adapters.discord.adapter import DiscordAdapter
from tests.adapters.discord.conftest import ADMINISTRATOR, GUILD, MANAGE_GUILD
from tests.fakes.discord_api import Call, FakeDiscord
from tests.fakes.discord_payloads import command_option as opt

EPHEMERAL = 64
NONE = {"parse": []}


async def _answers(fake: FakeDiscord, payload: dict[str, Any], followups: int = 0) -> list[Call]:
    """The interaction's callback, then ``followups`` follow-ups, once they reached the fake."""
    await fake.wait_for(lambda: fake.callbacks(payload) and len(fake.followups(payload)) >= followups)
    return [*fake.callbacks(payload), *fake.followups(payload)]


def _text(embeds: list[dict[str, Any]]) -> str:
    """The visible text of embeds, markdown escapes removed."""
    return " ".join(e.get("description", "") for e in embeds).replace("\\", "")


def _sent_at(fake: FakeDiscord, payload: dict[str, Any]) -> float:
    return fake._interactions[payload["id"]]


async def test_fast_command_answers_ephemerally_with_embeds(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    payload = await fake.interact("news", subcommand="topics", guild_id=GUILD)
    [callback] = await _answers(fake, payload)
    assert callback.body["type"] == 4
    data = callback.body["data"]
    assert data["flags"] & EPHEMERAL
    assert data["allowed_mentions"] == NONE
    assert "topics" in data["embeds"][0]["title"]
    assert callback.at - _sent_at(fake, payload) < 3.0


async def test_share_makes_a_read_answer_public(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    payload = await fake.interact("news", [opt("share", True)], subcommand="topics", guild_id=GUILD)
    [callback] = await _answers(fake, payload)
    assert not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL


async def test_alias_is_slow_so_it_defers_then_follows_up(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    payload = await fake.interact("ceasefire-status", guild_id=GUILD)
    callback, followup = await _answers(fake, payload, followups=1)
    assert callback.body["type"] == 5  # deferred: "newsbot is thinking..."
    assert callback.body["data"]["flags"] & EPHEMERAL  # privacy fixed at defer time
    assert callback.at - _sent_at(fake, payload) < 3.0
    assert followup.body["allowed_mentions"] == NONE
    assert followup.body["flags"] & EPHEMERAL
    assert followup.body["embeds"][0]["title"]


async def test_slow_shared_digest_defers_publicly(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    options = [opt("topic", "ceasefire"), opt("since", "7d"), opt("share", True)]
    payload = await fake.interact("news", options, subcommand="digest", guild_id=GUILD)
    callback, followup = await _answers(fake, payload, followups=1)
    assert callback.body["type"] == 5
    assert not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL
    assert not followup.body.get("flags", 0) & EPHEMERAL
    assert followup.body["allowed_mentions"] == NONE


async def test_bad_arguments_get_an_immediate_ephemeral_error(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    cases = [
        ("status", [opt("topic", "no-such-topic")], "Unknown topic", "Known:"),
        ("subscribe", [opt("topic", "ceasefire"), opt("quiet", "late")], "quiet", "22:00"),
        ("digest", [opt("topic", "ceasefire"), opt("since", "last tuesday")], "Cannot read the time", "24h"),
        ("subscribe", [opt("topic", "ceasefire"), opt("schedule", "daily 25:00")], "Bad time", "daily 09:00"),
        ("subscribe", [opt("topic", "ceasefire"), opt("timezone", "Mars/Olympus")], "Unknown timezone", "Europe"),
    ]
    for command, options, problem, hint in cases:
        payload = await fake.interact("news", options, subcommand=command, guild_id=GUILD, permissions=MANAGE_GUILD)
        [callback] = await _answers(fake, payload)
        assert callback.body["type"] == 4, command  # answered at once, not deferred
        assert callback.body["data"]["flags"] & EPHEMERAL
        embeds = callback.body["data"]["embeds"]
        assert problem in embeds[0]["title"]
        assert hint in _text(embeds)
        assert callback.at - _sent_at(fake, payload) < 1.0
        assert not fake.followups(payload)


async def test_autocomplete_offers_at_most_25_choices(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    payload = await fake.interact(
        "news", [opt("topic", "cease", focused=True)], subcommand="digest", guild_id=GUILD, kind=4
    )
    [callback] = await _answers(fake, payload)
    assert callback.body["type"] == 8
    assert [c["value"] for c in callback.body["data"]["choices"]] == ["ceasefire"]

    payload = await fake.interact(
        "news", [opt("topic", "ceasefire"), opt("timezone", "", focused=True)], subcommand="subscribe",
        guild_id=GUILD, kind=4,
    )  # fmt: skip
    [callback] = await _answers(fake, payload)
    choices = callback.body["data"]["choices"]
    assert len(choices) == 25
    assert all(len(c["name"]) <= 100 for c in choices)


async def test_only_admins_subscribe_and_never_in_a_dm(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    subscribe = [opt("topic", "ceasefire"), opt("schedule", "daily 08:30"), opt("timezone", "Europe/Kyiv")]

    payload = await fake.interact("news", subscribe, subcommand="subscribe", guild_id=GUILD)
    [callback] = await _answers(fake, payload)
    assert "Only workspace admins" in callback.body["data"]["embeds"][0]["title"]
    assert callback.body["data"]["flags"] & EPHEMERAL

    payload = await fake.interact("news", subscribe, subcommand="subscribe")  # a DM
    [callback] = await _answers(fake, payload)
    assert callback.body["data"]["embeds"][0]["title"].startswith(("Only workspace admins", "You cannot"))
    assert await adapter.svc.db.subscriptions.count() == 0

    for permission in (MANAGE_GUILD, ADMINISTRATOR):
        payload = await fake.interact("news", subscribe, subcommand="subscribe", guild_id=GUILD, permissions=permission)
        [callback] = await _answers(fake, payload)
        assert callback.body["data"]["embeds"][0]["title"].startswith(("Subscribed", "Updated"))
        assert not callback.body.get("data", {}).get("flags", 0) & EPHEMERAL  # the channel sees the change
    [sub] = await adapter.svc.db.subscriptions.list(platform="discord", workspace_id=str(GUILD))
    assert (sub.schedule, sub.timezone, sub.channel_id) == ("daily 08:30", "Europe/Kyiv", str(fake.channel_of[GUILD]))


async def test_client_default_keeps_mentions_in_content_silent(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    """Mentions inside embeds never ping, so check the client default with text in ``content``."""
    channel = adapter.client.get_partial_messageable(fake.channel_of[GUILD])
    await channel.send(content="Breaking: @everyone @here <@&1234567890> said so")
    [call] = fake.calls_to("POST", f"/channels/{fake.channel_of[GUILD]}/messages")
    assert call.body["allowed_mentions"] == NONE


async def test_a_fast_command_that_runs_late_is_deferred_in_time(
    fake: FakeDiscord, adapter: DiscordAdapter, monkeypatch: Any
) -> None:
    import asyncio
    import dataclasses

    from bot.adapters.discord import interactions
    from bot.handlers import COMMANDS

    topics = COMMANDS["topics"]

    async def sluggish(req: Any, svc: Any) -> Any:
        await asyncio.sleep(0.4)
        return await topics.handler(req, svc)

    monkeypatch.setattr(interactions, "DEFER_AFTER", 0.1)
    monkeypatch.setitem(COMMANDS, "topics", dataclasses.replace(topics, handler=sluggish))
    payload = await fake.interact("news", subcommand="topics", guild_id=GUILD)
    callback, followup = await _answers(fake, payload, followups=1)
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
    assert callback.at - _sent_at(fake, payload) < 0.4
    assert followup.body["allowed_mentions"] == NONE and followup.body["embeds"]


def test_option_values_become_the_handlers_args_and_options() -> None:
    from bot.adapters.discord.options import FALLBACK, specs_for, to_request_parts

    subscribe = specs_for("subscribe")
    values = {"topic": "ceasefire", "schedule": "weekdays 08:30", "timezone": "Europe/Kyiv", "max": 3}
    assert to_request_parts(subscribe, values) == (
        ("ceasefire", "weekdays 08:30", "Europe/Kyiv"),
        {"max": "3"},
    )
    assert to_request_parts(specs_for("settings"), {"timezone": "UTC"}) == (("timezone", "UTC"), {})
    assert to_request_parts(specs_for("status", preset_topic=True), {"share": True}, ("ceasefire",)) == (
        ("ceasefire",),
        {"share": "yes"},
    )
    assert to_request_parts(FALLBACK, {"arguments": 'a "b c" since:2h'}) == (("a", "b c"), {"since": "2h"})


async def test_an_error_after_a_public_defer_is_answered_privately(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    """``/news digest share:true`` with an unknown topic: deferred publicly, so the public "thinking"
    message is removed and the error goes only to the caller."""
    options = [opt("topic", "no-such-topic"), opt("share", True)]
    payload = await fake.interact("news", options, subcommand="digest", guild_id=GUILD)
    callback, followup = await _answers(fake, payload, followups=1)
    assert callback.body["type"] == 5
    assert fake.calls_to("DELETE", f"/webhooks/{fake.app_id}/{payload['token']}/messages/@original")
    assert followup.body["flags"] & EPHEMERAL
    assert "Unknown topic" in followup.body["embeds"][0]["title"]


async def test_topics_preview_shows_what_a_topic_would_match_and_why(
    fake: FakeDiscord, adapter: DiscordAdapter, svc: Any
) -> None:
    from digests.ingest.files import read_file
    from digests.pipeline import ingest_items
    from tests.conftest import SEED

    await ingest_items(svc.db.articles, read_file(SEED))
    options = [opt("action", "preview"), opt("topic", "ceasefire")]
    payload = await fake.interact("news", options, subcommand="topics", guild_id=GUILD)
    [callback] = await _answers(fake, payload)
    embeds = callback.body["data"]["embeds"]
    assert embeds[0]["title"].startswith("Preview: Russia–Ukraine ceasefire talks")
    text = " ".join(f"{f.get('name', '')} {f.get('value', '')}" for e in embeds for f in e.get("fields", []))
    text += _text(embeds)
    assert "Drone Attacks Persist Despite Trump" in text.replace("\\", "")
    assert "in the title" in text
