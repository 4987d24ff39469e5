"""/news search, quotes and story through the handler table, the console adapter and ``newsbot``."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.console.adapter import ConsoleAdapter
from bot.handlers import ChannelRef, UserRef, dispatch_line
from digests.message import LineKind, Reply
from tests.bot.test_cli import newsbot
from tests.conftest import SEED

USER = UserRef("u1", "ana")
CHANNEL = ChannelRef("console", "local", "c1")


@pytest.fixture
async def seeded(svc: Any) -> Any:
    from bot.app import ingest_paths

    await ingest_paths(svc.db, [SEED])
    return svc


async def _ask(svc: Any, line: str) -> Reply:
    return await dispatch_line(line, USER, CHANNEL, svc)


async def _story(svc: Any) -> int:
    [article] = await svc.db.articles.recent(limit=1)
    return article.story_id


async def test_search_finds_the_story_with_its_summary_outlets_and_link(seeded: Any) -> None:
    story = await _story(seeded)
    reply = await _ask(seeded, '/news search "Shahed drones" Kyiv topic:ceasefire')
    assert reply.ephemeral and not reply.is_error
    [section] = reply.message.sections
    assert section.heading and section.heading.startswith("Drone Attacks Persist")
    first, about = section.lines
    assert first.kind is LineKind.SENTENCE and first.source == "CNN"  # verbatim, from its outlet
    assert first.text in (await seeded.db.articles.recent(limit=1))[0].text
    assert f"Story {story}" in about.text and "CNN" in about.text
    assert [a.line for a in section.actions] == [f"story {story}"]
    assert (await _ask(seeded, "/news search drones share:yes")).ephemeral is False


async def test_nothing_found_names_the_closest_topic(seeded: Any) -> None:
    reply = await _ask(seeded, "/news search drones zzyzx")
    assert not reply.is_error and reply.ephemeral
    assert reply.message.title.startswith("Nothing matches")
    hint = reply.message.sections[0].lines[0].text
    assert "Closest topic: ceasefire" in hint and "/news digest ceasefire" in hint
    later = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    reply = await _ask(seeded, f"/news search drones since:{later}")
    assert "without `topic:` or `since:`" in reply.message.sections[0].lines[0].text


async def test_quotes_and_story_in_full(seeded: Any) -> None:
    story = await _story(seeded)
    reply = await _ask(seeded, "/news quotes Zelensky")
    assert reply.message.title == "Quotes by Volodymyr Zelensky"
    [line] = [line for s in reply.message.sections for line in s.lines]
    assert line.kind is LineKind.QUOTE and line.speaker == "Volodymyr Zelensky" and line.source == "CNN"
    reply = await _ask(seeded, f"/news story #{story}")
    headings = [s.heading for s in reply.message.sections]
    assert headings[:2] == ["Summary", "Timeline: 1 report from 1 outlet"]
    assert "Key quotes" in headings and "Key figures" in headings
    quotes = next(s for s in reply.message.sections if s.heading == "Key quotes")
    assert {q.speaker for q in quotes.lines} >= {"Volodymyr Zelensky", "William Taylor"}
    assert all(q.url is None or q.url.startswith("http") for q in quotes.lines)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("/news search", "What should I search for?"),
        ("/news search " + "z" * 500, "characters long"),
        ('/news search "a b" OR c', "operators"),
        ("/news search drones max:0", "max:0"),
        ("/news search drones topic:nosuch", "Unknown topic"),
        ("/news search drones since:whenever", "Cannot read the time"),
        ("/news quotes", "Whose quotes?"),
        ("/news quotes " + "Q" * 120, "characters long"),
        ("/news quotes Nobody", "No quotes by Nobody"),
        ("/news story", "Which story?"),
        ("/news story 1 2", "Too many arguments"),
        ("/news story -3", "not a story id"),
        ("/news story 99999999999999999999999", "not a story id"),
        ("/news story 4242", "No story 4242"),
    ],
)
async def test_bad_input_gets_a_private_line_saying_what_to_type(seeded: Any, line: str, problem: str) -> None:
    reply = await _ask(seeded, line)
    assert reply.is_error and reply.ephemeral
    assert problem in reply.message.title
    [hint] = [x.text for s in reply.message.sections for x in s.lines]
    assert "`/news" in hint or "Known:" in hint or "Use" in hint or "Keep" in hint


async def test_digest_items_offer_the_full_story_and_muting_their_outlet(seeded: Any) -> None:
    story = await _story(seeded)
    reply = await _ask(seeded, "/news digest ceasefire")
    [section] = reply.message.sections
    assert [a.line for a in section.actions] == [f"story {story}", "feeds mute CNN"]
    assert section.actions[1].confirm  # Slack asks first


async def test_the_console_answers_the_same_commands(seeded: Any) -> None:
    story = await _story(seeded)
    out = io.StringIO()
    console = ConsoleAdapter(seeded, io.StringIO(f"search drones\nquotes Zelensky\nstory {story}\n"), out)
    await asyncio.wait_for(console.serve(asyncio.Event()), 30)
    text = out.getvalue()
    assert "> search drones" in text and f"→ /news story {story}" in text
    assert "Quotes by Volodymyr Zelensky" in text and "buy time" in text
    assert "Timeline: 1 report from 1 outlet" in text and "108 Iranian-made Shahed drones" in text


def test_newsbot_ask_takes_the_commands_too(tmp_path: Path) -> None:
    newsbot(tmp_path, "ingest", str(SEED))
    result = newsbot(tmp_path, "ask", "/news search drones", "--format", "discord")
    assert result.returncode == 0, result.stderr
    assert '"custom_id": "newsbot:story 1"' in result.stdout  # the Full story button
    bad = newsbot(tmp_path, "ask", "/news story nope")
    assert bad.returncode == 1 and "not a story id" in bad.stdout
