"""Discord embed rendering: golden output, every embed limit by splitting, escaping of hostile text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord.render import escape, render_embeds, render_payloads, safe_url
from digests.message import Line, LineKind, Message, Section, Tone

URL = "https://news.example/story_(1)?a=1&b=2"
SAFE = "https://news.example/story_%281%29?a=1&b=2"
WHEN = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)
HOSTILE = (
    "Hi @everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#1234> "
    "[x](javascript:alert(1)) [ok](https://evil.example) https://evil.example/bare <https://evil.example> "
    "**bold** __under__ _it_ *one ~~s~~ `code` ```block``` ||spoiler|| \\*esc\\* # h1 -# small "
    "> quote 🦀 𝔘"
)
MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")
MARKUP = set("\\*_~|`[]()<>#:-")


def _size(text: str | None) -> int:
    return len((text or "").encode("utf-16-le")) // 2


def _check_limits(messages: list[list[discord.Embed]]) -> None:
    """Every message within Discord's embed limits (both by ``len`` and by UTF-16 units)."""
    assert messages
    for embeds in messages:
        assert 0 < len(embeds) <= 10
        assert sum(len(embed) for embed in embeds) <= 6000
        assert sum(_size(e.title) + _size(e.description) + _size(e.footer.text) for e in embeds) <= 6000
        for embed in embeds:
            assert embed.title or embed.description or embed.footer.text
            assert _size(embed.title) <= 256
            assert _size(embed.description) <= 4096
            assert embed.description is None or embed.description.strip()
            assert _size(embed.footer.text) <= 2048
            assert len(embed.fields) <= 25
            assert all(_size(f.name) <= 256 and _size(f.value) <= 1024 for f in embed.fields)
            assert _size(embed.author.name) <= 256
            assert embed.url is None or embed.url.startswith(("https://", "http://"))


def _unescaped(text: str) -> str:
    """``text`` with every backslash escape removed: what is left is live markdown."""
    return re.sub(r"\\.", "", text)


def _descriptions(messages: list[list[discord.Embed]]) -> str:
    return "\n".join(e.description or "" for embeds in messages for e in embeds)


def _big_message() -> Message:
    words = " ".join(f"w{i:05d}" for i in range(1700))  # ~10,000 characters
    sections = [
        Section(
            heading=f"Story {i} **x**",
            url=f"https://news.example/{i}",
            lines=(
                Line(f"Sentence {i} one.", LineKind.SENTENCE, url=URL, source="Example"),
                Line(f"Quote {i}", LineKind.QUOTE, url=URL, source="Example", speaker="Someone"),
                Line(f"Prices rose {i}% 🦀 𝔘.", LineKind.FIGURE, url=URL, source="Example", figure=f"{i}%"),
            ),
        )
        for i in range(200)
    ]
    sections.insert(3, Section("Long", (Line(words, LineKind.SENTENCE, url=URL, source="Src"),)))
    sections.insert(7, Section("Blob", (Line("*_@" * 3400, LineKind.SENTENCE, url=URL, source="Src"),)))
    sections.insert(9, Section("E" * 300, (Line("🦀" * 5000, LineKind.SENTENCE),)))
    return Message(title="T" * 300, sections=tuple(sections), intro="intro " * 1000, footer="f" * 5000)


def test_golden_small_message() -> None:
    message = Message(
        title="Ceasefire digest",
        intro="Two stories today.",
        sections=(
            Section(
                heading="Talks in Istanbul",
                url="https://news.example/talks",
                lines=(
                    Line("Delegations met on Friday.", LineKind.SENTENCE, url=URL, source="Example News", when=WHEN),
                    Line("We came to talk.", LineKind.QUOTE, url=URL, source="Example News", speaker="Umerov"),
                    Line(
                        "They agreed to swap 1,000 prisoners.",
                        LineKind.FIGURE,
                        url=URL,
                        source="Agency",
                        source_label="state media",
                        figure="1,000",
                    ),
                ),
            ),
        ),
        footer="Sources: 2",
        tone=Tone.SUCCESS,
    )
    green = discord.Colour.green().value
    payloads = render_payloads(message)
    assert payloads == [
        {
            "embeds": [
                {
                    "type": "rich",
                    "flags": 0,
                    "color": green,
                    "title": "Ceasefire digest",
                    "description": "Two stories today.",
                },
                {
                    "type": "rich",
                    "flags": 0,
                    "color": green,
                    "title": "Talks in Istanbul",
                    "url": "https://news.example/talks",
                    "description": f"• Delegations met on Friday. — [Example News]({SAFE}), 20 May\n"
                    f"> “We came to talk.” — **Umerov** ([Example News]({SAFE}))\n"
                    f"**1,000** — They agreed to swap 1,000 prisoners. ([Agency]({SAFE}) (state media))",
                    "footer": {"text": "Sources: 2"},
                },
            ],
            "allowed_mentions": {"parse": []},
        }
    ]
    json.dumps(payloads)  # JSON-serialisable as sent


def test_colour_by_tone() -> None:
    for tone, colour in ((Tone.INFO, discord.Colour.blurple()), (Tone.ERROR, discord.Colour.red())):
        (embeds,) = render_embeds(Message("t", (Section("h", (Line("x"),)),), tone=tone))
        assert [e.colour for e in embeds] == [colour, colour]


def test_figure_not_in_sentence_is_not_bolded() -> None:
    (embeds,) = render_embeds(Message("t", (Section(None, (Line("No number.", LineKind.FIGURE, figure="4%"),)),)))
    assert embeds[1].description == "No number."


def test_escape_neutralises_markdown_and_mentions() -> None:
    assert escape("**a** [x](javascript:alert(1))") == r"\*\*a\*\* \[x\]\(javascript\:alert\(1\)\)"
    assert escape("@everyone @here <@&123456789012345678>") == (
        "@\u200beveryone @\u200bhere \\<@\u200b&123456789012345678\\>"
    )
    assert escape("a\\*") == "a\\\\\\*"


def test_safe_url() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("javascript://news.example/%0Aalert(1)") is None
    assert safe_url(" HTTPS://news.example/x ") is not None
    assert safe_url("ftp://x.example/") is None
    assert safe_url("https:///nohost") is None
    assert safe_url("https://x.example/a(b) c[d]<e>") == "https://x.example/a%28b%29%20c%5Bd%5D%3Ce%3E"
    assert safe_url("https://x.example/" + "a" * 5000) is None


def test_hostile_text_everywhere_cannot_ping_link_or_format() -> None:
    kinds = (LineKind.SENTENCE, LineKind.QUOTE, LineKind.FIGURE, LineKind.TEXT)
    lines = tuple(
        Line(
            HOSTILE,
            kind,
            url="javascript:alert(1)" if kind is LineKind.QUOTE else "https://ok.example/a)b",
            source=HOSTILE,
            source_label=HOSTILE,
            speaker=HOSTILE,
            figure="@everyone",
        )
        for kind in kinds
    )
    message = Message(
        HOSTILE, (Section(HOSTILE, lines, url="javascript://news.example/%0Aalert(1)"),), intro=HOSTILE, footer=HOSTILE
    )
    messages = render_embeds(message)
    _check_limits(messages)
    for payload in render_payloads(message):
        assert payload["allowed_mentions"] == {"parse": []}
    embeds = [e for m in messages for e in m]
    texts = [t for e in embeds for t in (e.title, e.description, e.footer.text) if t]
    for text in texts:
        assert not MENTION.search(text), text
    live = [_unescaped(e.description or "") for e in embeds]
    # The only live links are ours, to the one safe URL; nothing else can form a link or autolink.
    links = [u for d in live for u in re.findall(r"\]\(([^)]*)\)", d)]
    assert links and set(links) == {"https://ok.example/a%29b"}
    assert not any("://" in re.sub(r"\]\([^)]*\)", "", d) for d in live)
    # Live formatting is exactly the renderer's own: "**speaker**" once, link brackets, quote marker.
    description = live[1]
    assert description.count("**") == 2 + 2  # the quote's speaker and the figure (none for @everyone)
    assert not re.search(r"[_~`|]|\*(?!\*)", description.replace("**", ""))
    assert embeds[0].url is None and embeds[1].url is None  # javascript: heading link dropped
    assert escape(HOSTILE) in (embeds[1].description or "")  # article text intact, only escaped


def test_big_message_splits_within_every_limit_and_loses_nothing() -> None:
    message = _big_message()
    messages = render_embeds(message)
    _check_limits(messages)
    assert len(messages) > 20
    first = messages[0][0]
    assert first.title and first.title.endswith("…") and first.title.startswith("T" * 250)
    assert messages[-1][-1].footer.text and messages[-1][-1].footer.text.endswith("…")  # documented truncation
    joined = re.sub(r"\s+", "", _descriptions(messages))
    position = 0
    for section in message.sections:
        for line in section.lines:
            found = joined.find(re.sub(r"\s+", "", escape(line.text)), position)
            assert found >= 0, line.text[:40]  # present, and in order
            position = found
    titles = [e.title for m in messages for e in m if e.title]
    headings = [discord.utils.escape_markdown(s.heading or "") for s in message.sections]
    assert titles[1:] == [h if len(h) <= 256 else h[:255] + "…" for h in headings]
    payloads = render_payloads(message)
    assert len(payloads) == len(messages)
    assert all(p["allowed_mentions"] == {"parse": []} and len(p["embeds"]) <= 10 for p in payloads)


def test_long_sentence_keeps_its_link_on_the_last_piece() -> None:
    words = " ".join(f"w{i:05d}" for i in range(1700))
    messages = render_embeds(Message("t", (Section("h", (Line(words, LineKind.SENTENCE, url=URL, source="Src"),)),)))
    _check_limits(messages)
    descriptions = [e.description for m in messages for e in m if e.description]
    assert len(descriptions) >= 3
    assert descriptions[0].startswith("• w00000 ")
    assert descriptions[-1].endswith(f"w01699 — [Src]({SAFE})")
    assert all("[Src]" not in d for d in descriptions[:-1])
    assert all(re.fullmatch(r"[\w\s•]+", d) for d in descriptions[1:-1])  # cut at word boundaries only


def test_huge_word_is_cut_without_breaking_an_escape() -> None:
    messages = render_embeds(Message("t", (Section(None, (Line("*@everyone" * 1000),)),)))
    _check_limits(messages)
    descriptions = [e.description or "" for m in messages for e in m if e.description]
    assert len(descriptions) >= 3
    for description in descriptions:
        assert not description.endswith("\\") or description.endswith("\\\\")
        assert not MENTION.search(description)
    assert "".join(descriptions).count("\\*") == 1000


def test_ten_embeds_per_message() -> None:
    sections = tuple(Section(f"S{i}", (Line(f"line {i}"),)) for i in range(60))
    messages = render_embeds(Message("Digest", sections))
    _check_limits(messages)
    assert [len(m) for m in messages] == [10] * 6 + [1]


def test_footer_moves_to_its_own_embed_when_the_last_one_is_full() -> None:
    message = Message("t", (Section("h", (Line("x " * 1995),)),), footer="F" * 2000)
    messages = render_embeds(message)
    _check_limits(messages)
    assert messages[-1][-1].footer.text == "F" * 2000 and not messages[-1][-1].description


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_escape_property(text: str) -> None:
    escaped = escape(text)
    assert not MENTION.search(escaped)
    assert not MARKUP & set(_unescaped(escaped))
    assert re.sub(r"\\(.)", r"\1", escaped, flags=re.DOTALL).replace("\u200b", "") == text.replace("\u200b", "")


@settings(max_examples=40, deadline=None)
@given(
    st.text(min_size=1, max_size=400),
    st.lists(st.text(max_size=5000), min_size=1, max_size=12),
    st.sampled_from(list(LineKind)),
    st.sampled_from(list(Tone)),
)
def test_random_messages_render_within_limits(title: str, texts: list[str], kind: LineKind, tone: Tone) -> None:
    lines = tuple(Line(t, kind, url=URL, source=t[:50], speaker=t[:20], figure=t[:5]) for t in texts)
    message = Message(title, (Section(title, lines), Section(None, lines)), intro=texts[0], footer=title, tone=tone)
    messages = render_embeds(message)
    if not messages:  # only a message with no visible text at all renders to nothing
        assert not title.strip() and not any(t.strip() for t in texts)
        return
    _check_limits(messages)
    for embeds in messages:
        for embed in embeds:
            assert not MENTION.search(embed.description or "")
