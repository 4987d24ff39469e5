"""The handler table, driven through the console adapter's entry point (``dispatch_line``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.adapters.console.render import render_text
from bot.handlers import COMMANDS, ChannelRef, UserRef, dispatch_line
from digests.message import Tone
from digests.models import ArticleInput
from digests.pipeline import ingest_items

ADMIN = UserRef("u1", "admin", is_admin=True)
MEMBER = UserRef("u2", "member", is_admin=False)
CHAN = ChannelRef("console", "local", "general")

FRESH = ArticleInput(
    title="Negotiators meet in Istanbul for ceasefire talks",
    text=(
        "Russian and Ukrainian delegations met in Istanbul on Friday for the first direct ceasefire talks in years.\n\n"
        "“We came to talk about a real ceasefire,” Ukrainian Defence Minister Rustem Umerov said after the meeting.\n\n"
        "The two sides agreed a prisoner exchange of 1,000 prisoners each, officials said."
    ),
    url="https://news.example/istanbul-talks",
    source="Example News",
    published=datetime(2026, 11, 27, 8, 0, tzinfo=UTC),
)


async def ask(svc: Any, line: str, user: UserRef = ADMIN, channel: ChannelRef = CHAN) -> tuple[str, Any]:
    reply = await dispatch_line(line, user, channel, svc)
    return render_text(reply.message), reply


async def test_help_lists_every_command_and_the_alias(svc: Any) -> None:
    text, reply = await ask(svc, "/news help")
    for name in COMMANDS:
        assert f"/news {name}" in text
    assert "/ceasefire-status — same as /news status ceasefire" in text
    assert not reply.is_error


async def test_prefix_is_optional_and_unknown_commands_get_help(svc: Any) -> None:
    with_prefix, _ = await ask(svc, "/news topics")
    without, _ = await ask(svc, "/topics")
    assert with_prefix == without and "ceasefire" in with_prefix
    text, reply = await ask(svc, "/frobnicate now")
    assert reply.is_error and "Unknown command `frobnicate`" in text and "/news help" in text


async def test_ingested_article_appears_in_digest(svc: Any) -> None:
    empty, _ = await ask(svc, "/digest ceasefire")
    assert "no stories" in empty
    await ingest_items(svc.db.articles, [FRESH])
    text, reply = await ask(svc, "/digest ceasefire")
    assert not reply.is_error
    assert "Negotiators meet in Istanbul" in text
    assert "https://news.example/istanbul-talks" in text
    assert "Rustem Umerov" in text


async def test_digest_since_filters_old_news(svc: Any) -> None:
    old = ArticleInput(
        title="Old ceasefire proposal",
        text="Ukraine and Russia discussed a ceasefire proposal in Kyiv in 2024.",
        published=datetime(2024, 1, 5, tzinfo=UTC),
        source="Archive",
    )
    await ingest_items(svc.db.articles, [old, FRESH])
    svc.clock = lambda: datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    text, _ = await ask(svc, "/digest ceasefire since:24h")
    assert "Negotiators meet" in text and "Old ceasefire proposal" not in text
    text, _ = await ask(svc, "/digest ceasefire")
    assert "Old ceasefire proposal" in text
    bad, reply = await ask(svc, "/digest ceasefire since:yesterdayish")
    assert reply.is_error and "24h" in bad


async def test_status_alias_answers_with_evidence(svc: Any) -> None:
    await ingest_items(svc.db.articles, [FRESH])
    text, reply = await ask(svc, "/ceasefire-status")
    assert not reply.is_error
    assert text.startswith("Russia–Ukraine ceasefire talks: ")
    assert "Confidence:" in text and "As of" in text
    assert "Why" in text
    assert "What changed since" not in text  # the first answer in this channel
    text2, _ = await ask(svc, "/news status ceasefire")
    assert "What changed since" in text2 and "(state unchanged)" in text2 and "No new evidence" in text2
    assert text2.startswith(text.split("\n")[0])


async def test_status_of_topic_without_tracking_is_refused(svc: Any) -> None:
    text, reply = await ask(svc, "/status technology")
    assert reply.is_error and "status tracking" in text


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("/subscribe nosuchtopic", "Unknown topic `nosuchtopic`"),
        ("/subscribe ceasefire daily 25:00", "Bad time `25:00`"),
        ("/subscribe ceasefire daily 09:00 Mars/Olympus", "Unknown timezone `Mars/Olympus`"),
        ("/subscribe ceasefire 0 9 * * 9", "Bad cron expression"),
        ("/subscribe ceasefire sometimes", "Unknown schedule `sometimes`"),
        ("/subscribe ceasefire every 1m", "between 15 minutes and 7 days"),
        ("/subscribe ceasefire max:99", "max:N"),
    ],
)
async def test_bad_subscriptions_name_the_problem_and_store_nothing(svc: Any, line: str, needle: str) -> None:
    text, reply = await ask(svc, line)
    assert reply.is_error and reply.message.tone is Tone.ERROR
    assert needle in text
    assert await svc.db.subscriptions.count() == 0


async def test_subscribe_says_when_the_next_digest_goes_out(svc: Any) -> None:
    svc.clock = lambda: datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # 18:00 in Kyiv
    text, reply = await ask(svc, "/news subscribe ceasefire daily 09:00 Europe/Kyiv")
    assert not reply.is_error and not reply.ephemeral
    assert "next digest 09:00 Europe/Kyiv, in 15 h" in text
    subs = await svc.db.subscriptions.list(channel_id="general")
    assert [(s.topic_id, s.schedule, s.timezone) for s in subs] == [("ceasefire", "daily 09:00", "Europe/Kyiv")]
    listing, _ = await ask(svc, "/subscriptions")
    assert "ceasefire · daily 09:00 Europe/Kyiv" in listing and "no delivery yet" in listing
    text, _ = await ask(svc, "/unsubscribe ceasefire")
    assert "Unsubscribed" in text
    assert await svc.db.subscriptions.count() == 0
    text, reply = await ask(svc, "/unsubscribe ceasefire")
    assert reply.is_error and "not subscribed" in text


async def test_workspace_timezone_is_the_default(svc: Any) -> None:
    await ask(svc, "/settings timezone America/New_York")
    shown, _ = await ask(svc, "/settings")
    assert "America/New_York" in shown
    await ask(svc, "/subscribe ceasefire weekdays 08:30")
    subs = await svc.db.subscriptions.list()
    assert subs[0].timezone == "America/New_York" and subs[0].schedule == "weekdays 08:30"


async def test_only_admins_change_subscriptions(svc: Any) -> None:
    text, reply = await ask(svc, "/subscribe ceasefire", user=MEMBER)
    assert reply.is_error and "Only workspace admins" in text
    assert await svc.db.subscriptions.count() == 0
    text, reply = await ask(svc, "/settings timezone Europe/Kyiv", user=MEMBER)
    assert reply.is_error
    dm = ChannelRef("console", "local", "dm-1", is_dm=True)
    text, reply = await ask(svc, "/subscribe ceasefire", channel=dm)
    assert reply.is_error and "direct message" in text
    # reading is for everyone
    _, reply = await ask(svc, "/topics", user=MEMBER)
    assert not reply.is_error


async def test_unbalanced_quotes_get_a_clear_error(svc: Any) -> None:
    text, reply = await ask(svc, '/digest "ceasefire')
    assert reply.is_error and "quotation marks" in text


async def test_a_bug_in_a_handler_is_answered_not_raised(svc: Any, monkeypatch: Any) -> None:
    async def boom(*_: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(svc.db.articles, "recent", boom)
    monkeypatch.setattr(svc.db.articles, "for_topic", boom)  # a config topic's digest reads this
    text, reply = await ask(svc, "/digest ceasefire")
    assert reply.is_error and "went wrong on our side" in text and "database on fire" not in text


async def test_ops_channel_setting(svc: Any) -> None:
    text, reply = await ask(svc, "/settings ops ops-room")
    assert not reply.is_error and "#ops-room" in text
    shown, _ = await ask(svc, "/settings")
    assert "Ops channel: #ops-room" in shown
    await ask(svc, "/settings ops off")
    assert "Ops channel: none" in (await ask(svc, "/settings"))[0]
    bad, reply = await ask(svc, "/settings ops <!channel>")
    assert reply.is_error and "Bad channel" in bad
    _, reply = await ask(svc, "/settings ops ops-room", user=MEMBER)
    assert reply.is_error
