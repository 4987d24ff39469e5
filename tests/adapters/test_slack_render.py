"""Slack Block Kit rendering: golden output, limits by splitting, escaping of hostile article text."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.adapters.slack.render import escape, render_blocks, render_payloads, safe_url
from digests.message import Line, LineKind, Message, Section, Tone

URL = "https://news.example/story?a=1&b=2"
WHEN = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)
HOSTILE = (
    "Hi <!channel> <!here> <!everyone> <!subteam^S123|@team> <@U123> <#C123> &lt;!here&gt; "
    "@everyone @channel [x](javascript:alert(1)) <javascript:alert(1)|click> <https://evil.example|ok> "
    "**bold** _it_ ~~s~~ `code` ```block``` > quote | pipe 🦀 𝔘"
)
OUR_LINK = re.compile(r"^https?://[^\s|<>]+\|[^<>|]*$")


def _texts(payload: dict[str, Any]) -> list[str]:
    """Every text string inside a payload's blocks, in order."""
    out: list[str] = []
    for block in payload["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(element["text"] for element in block.get("elements", []))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_valid(payloads: list[dict[str, Any]]) -> None:
    """Every payload is postable: Slack's limits, the model's validation, no mention parsing."""
    assert payloads
    for payload in payloads:
        assert set(payload) == {"text", "blocks", "unfurl_links", "unfurl_media"}
        assert payload["unfurl_links"] is False and payload["unfurl_media"] is False
        assert 0 < len(payload["text"]) <= 3000
        assert 0 < len(payload["blocks"]) <= 50
        assert payload["blocks"][0]["type"] != "divider"
        for block in payload["blocks"]:
            model = Block.parse(block)
            assert model is not None and model.to_dict() == block  # re-validated by slack_sdk's models
            if block["type"] == "section":
                assert 0 < len(block["text"]["text"]) <= 3000
                assert block["text"]["verbatim"] is True
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
                assert block["text"]["type"] == "plain_text"


def _check_no_mentions(payloads: list[dict[str, Any]]) -> None:
    """The only ``<…>`` constructs are our own http(s) links; the fallback text has none at all."""
    for payload in payloads:
        assert "<" not in payload["text"] and ">" not in payload["text"]
        for text in _texts(payload):
            for inner in re.findall(r"<([^>]*)>", text):
                assert OUR_LINK.match(inner), inner
            assert "<!" not in text and "<@" not in text and "<#" not in text


def _big_message() -> Message:
    words = " ".join(f"w{i:05d}" for i in range(1700))  # ~10,000 characters
    sections = [
        Section(
            heading=f"Story {i} & <co>",
            url=f"https://news.example/{i}",
            lines=(
                Line(f"Sentence {i} one.", LineKind.SENTENCE, url=URL, source="Example"),
                Line(f"“Quote {i}”", LineKind.QUOTE, url=URL, source="Example", speaker="Someone"),
                Line(f"Prices rose {i}% 🦀 𝔘.", LineKind.FIGURE, url=URL, source="Example", figure=f"{i}%"),
            ),
        )
        for i in range(200)
    ]
    sections.insert(3, Section("Long", (Line(words, LineKind.SENTENCE, url=URL, source="Src"),)))
    sections.insert(7, Section("Blob", (Line("x<&>" * 2500, LineKind.SENTENCE, url=URL, source="Src"),)))
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
    )
    link = "<https://news.example/story?a=1&amp;b=2|"
    assert render_payloads(message) == [
        {
            "text": "Ceasefire digest\nTwo stories today.\nTalks in Istanbul: Delegations met on Friday.",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": "Ceasefire digest", "emoji": True}},
                {"type": "section", "text": {"type": "mrkdwn", "text": "Two stories today.", "verbatim": True}},
                {"type": "divider"},
                {
                    "type": "section",
                    "text": {
                        "type": "mrkdwn",
                        "verbatim": True,
                        "text": "*<https://news.example/talks|Talks in Istanbul>*\n"
                        f"• Delegations met on Friday. — {link}Example News>, 20 May\n"
                        f"> “We came to talk.” — Umerov ({link}Example News>)\n"
                        f"*1,000* — They agreed to swap 1,000 prisoners. ({link}Agency> (state media))",
                    },
                },
                {"type": "context", "elements": [{"type": "mrkdwn", "text": "Sources: 2", "verbatim": True}]},
            ],
            "unfurl_links": False,
            "unfurl_media": False,
        }
    ]
    assert render_blocks(message) == render_payloads(message)[0]["blocks"]


def test_error_tone_and_plain_lines() -> None:
    message = Message(title="Unknown topic", sections=(Section(None, (Line("Try /news topics"),)),), tone=Tone.ERROR)
    (payload,) = render_payloads(message)
    assert payload["blocks"][0]["text"]["text"] == ":warning: Unknown topic"
    assert payload["blocks"][1]["text"]["text"] == "Try /news topics"
    assert payload["text"].startswith(":warning: Unknown topic")


def test_figure_not_in_sentence_is_not_bolded() -> None:
    line = Line("No number here.", LineKind.FIGURE, figure="42%")
    (payload,) = render_payloads(Message("t", (Section(None, (line,)),)))
    assert payload["blocks"][1]["text"]["text"] == "No number here."


def test_escape_only_three_characters() -> None:
    assert escape("a & <b> \"c\" 'd' *e* |") == "a &amp; &lt;b&gt; \"c\" 'd' *e* |"
    assert escape("&lt;!channel&gt;") == "&amp;lt;!channel&amp;gt;"


def test_safe_url() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("javascript://news.example/%0Aalert(1)") is None
    assert safe_url(" HTTPS://news.example/x ") is not None
    assert safe_url("data:text/html,x") is None
    assert safe_url("//news.example/x") is None
    assert safe_url("https:///nohost") is None
    assert safe_url(None) is None
    assert safe_url("https://x.example/a|b c>d<e?f=1&g=2") == "https://x.example/a%7Cb%20c%3Ed%3Ce?f=1&amp;g=2"
    assert safe_url("HTTP://x.example/" + "a" * 5000) is None  # too long for a link: label only


def test_hostile_text_everywhere_pings_no_one() -> None:
    line_kinds = (LineKind.SENTENCE, LineKind.QUOTE, LineKind.FIGURE, LineKind.TEXT)
    lines = tuple(
        Line(
            HOSTILE,
            kind,
            url="javascript:alert(1)" if kind is LineKind.QUOTE else "https://ok.example/a|b>c",
            source=HOSTILE,
            source_label=HOSTILE,
            speaker=HOSTILE,
            figure="<!channel>",
        )
        for kind in line_kinds
    )
    message = Message(
        title=HOSTILE,
        intro=HOSTILE,
        sections=(Section(HOSTILE, lines, url="javascript://news.example/%0Aalert(1)"),),
        footer=HOSTILE,
    )
    payloads = render_payloads(message)
    _check_valid(payloads)
    _check_no_mentions(payloads)
    everything = "".join(_texts(payloads[0])) + payloads[0]["text"]
    assert "&amp;lt;!here&amp;gt;" in everything  # the pre-escaped form shows literally
    assert "&lt;!channel&gt;" in everything
    targets = {inner.split("|", 1)[0] for inner in re.findall(r"<([^>]*)>", everything)}
    assert targets == {"https://ok.example/a%7Cb%3Ec"}  # javascript: urls became plain labels
    assert "*Hi &lt;!channel&gt;" in everything  # the heading, unlinked
    assert "&lt;!subteam^S123∣@team&gt;" in everything  # "|" inside a link label is neutralised
    assert "<https://ok.example/a%7Cb%3Ec|" in everything
    assert all("link_names" not in p and "parse" not in p for p in payloads)


def test_big_message_splits_within_every_limit_and_loses_nothing() -> None:
    message = _big_message()
    payloads = render_payloads(message)
    _check_valid(payloads)
    assert len(payloads) > 1
    header = payloads[0]["blocks"][0]
    assert header["type"] == "header" and header["text"]["text"].endswith("…")
    assert header["text"]["text"].startswith("T" * 140)
    assert all(b["type"] != "header" for p in payloads[1:] for b in p["blocks"])
    assert payloads[1]["text"] == f"{'T' * 300} (2/{len(payloads)})"
    joined = _squash("".join(text for p in payloads for text in _texts(p)))
    position = 0
    for section in message.sections:
        for line in section.lines:
            found = joined.find(_squash(escape(line.text)), position)
            assert found >= 0, line.text[:40]  # present, and in order
            position = found
    assert _squash(escape(message.intro or "")) in joined
    assert _squash(escape("Story 199 & <co>")) in joined


def test_long_sentence_keeps_its_link_on_the_last_piece() -> None:
    words = " ".join(f"w{i:05d}" for i in range(1700))
    message = Message("t", (Section("h", (Line(words, LineKind.SENTENCE, url=URL, source="Src"),)),))
    texts = [t for p in render_payloads(message) for t in _texts(p)][1:]
    assert len(texts) >= 4
    assert texts[0].startswith("*h*\n• w00000 ")
    assert texts[-1].endswith("w01699 — <https://news.example/story?a=1&amp;b=2|Src>")
    assert all("|Src>" not in t for t in texts[:-1])
    assert all(re.fullmatch(r"[\w\s*•]+", t) for t in texts[1:-1])  # cut at word boundaries only


def test_huge_word_is_cut_without_breaking_an_escape() -> None:
    message = Message("t", (Section(None, (Line("&" * 10_000),)),))
    texts = [t for p in render_payloads(message) for t in _texts(p)][1:]
    assert len(texts) >= 18
    assert all(re.fullmatch(r"(&amp;)+", t) for t in texts)
    assert sum(t.count("&amp;") for t in texts) == 10_000


def test_many_stories_split_at_story_boundaries() -> None:
    sections = tuple(Section(f"S{i}", (Line(f"line {i}", LineKind.SENTENCE, url=URL, source="x"),)) for i in range(60))
    payloads = render_payloads(Message("Digest", sections))
    _check_valid(payloads)
    for payload in payloads:
        for block, following in zip(payload["blocks"], payload["blocks"][1:], strict=False):
            if block["type"] == "divider":
                assert following["text"]["text"].startswith("*S")
    assert sum(t.startswith("*S") for p in payloads for t in _texts(p)) == 60


def test_fallback_text_is_escaped_and_bounded() -> None:
    message = Message(title="<!channel> news", intro="<@U1> " * 2000)
    (payload,) = render_payloads(message)
    assert payload["text"].startswith("&lt;!channel&gt; news\n&lt;@U1&gt;")
    assert len(payload["text"]) <= 3000 and payload["text"].endswith("…")


def test_empty_message_still_posts_something_valid() -> None:
    payloads = render_payloads(Message(title="Nothing"))
    _check_valid(payloads)
    assert payloads[0]["blocks"] == [
        {"type": "header", "text": {"type": "plain_text", "text": "Nothing", "emoji": True}}
    ]


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_escape_property(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


@settings(max_examples=40, deadline=None)
@given(
    st.text(min_size=1, max_size=400),
    st.lists(st.text(max_size=4000), min_size=1, max_size=12),
    st.sampled_from(list(LineKind)),
)
def test_random_messages_render_validly(title: str, texts: list[str], kind: LineKind) -> None:
    lines = tuple(Line(t, kind, url=URL, source=t[:50], speaker=t[:20], figure=t[:5]) for t in texts)
    payloads = render_payloads(Message(title, (Section(title, lines), Section(None, lines)), intro=texts[0]))
    if not payloads:  # only a message with no visible text at all renders to nothing
        assert not title.strip() and not any(t.strip() for t in texts)
        return
    _check_valid(payloads)
    _check_no_mentions(payloads)


def test_long_heading_with_long_url_still_fits() -> None:
    section = Section("h" * 5000, (Line("x"),), url="https://news.example/" + "a" * 1400)
    payloads = render_payloads(Message("t", (section,)))
    _check_valid(payloads)
    heading = payloads[0]["blocks"][1]["text"]["text"].split("\n")[0]
    assert heading.startswith("*<https://news.example/aaa") and heading.endswith("…>*")
