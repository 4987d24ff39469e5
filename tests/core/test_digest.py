"""A story reported by several outlets: best sentences across sources, no near-duplicates, each
linked to its own source, at most two quotes, outlet labels carried to the renderers."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.digest import story_section
from digests.message import LineKind
from digests.models import Article, Story
from digests.text import analyze

A_TEXT = (
    "Russian and Ukrainian delegations met in Istanbul on Friday for their first direct talks in three years.\n\n"
    "The meeting lasted less than two hours, Turkish officials said.\n\n"
    "“We came to talk about a real ceasefire,” Ukrainian Defence Minister Rustem Umerov said after the meeting.\n\n"
    "The two sides agreed to exchange 1,000 prisoners each."
)
B_TEXT = (
    "Russian and Ukrainian delegations met in Istanbul on Friday for their first direct talks in three years.\n\n"
    "Moscow's delegation was led by presidential aide Vladimir Medinsky, who called the talks useful.\n\n"
    "“We are satisfied with the result,” Vladimir Medinsky told reporters in Istanbul.\n\n"
    "No date was set for a second round."
)


def _article(i: int, text: str, source: str, label: str | None) -> Article:
    return Article(
        id=i,
        story_id=7,
        title="Talks in Istanbul",
        text=text,
        url=f"https://outlet{i}.example/istanbul",
        source=source,
        published=datetime(2025, 5, 16, 12 + i, tzinfo=UTC),
        ingested_at=datetime(2025, 5, 16, 12 + i, tzinfo=UTC),
        analysis=analyze(text, "Talks in Istanbul"),
        label=label,
    )


def test_multi_source_story() -> None:
    a = _article(1, A_TEXT, "Outlet One", None)
    b = _article(2, B_TEXT, "State Wire", "state media")
    section = story_section(Story(7, "Talks in Istanbul", (b, a)), max_sentences=3)
    assert section.heading == "Talks in Istanbul (2 sources)"
    sentences = [ln for ln in section.lines if ln.kind is LineKind.SENTENCE]
    assert 1 <= len(sentences) <= 3
    texts = {a.url: a.text for a in (a, b)}
    for line in sentences:
        assert line.url is not None and line.text in texts[line.url]  # verbatim, linked to its own source
    lead = "Russian and Ukrainian delegations met in Istanbul"
    assert sum(line.text.startswith(lead) for line in sentences) == 1  # the shared wire sentence once
    quotes = [ln for ln in section.lines if ln.kind is LineKind.QUOTE]
    assert 1 <= len(quotes) <= 2 and len({q.speaker for q in quotes}) == len(quotes)
    assert all(q.url is not None and q.text in texts[q.url] for q in quotes)
    assert any(ln.source_label == "state media" for ln in section.lines if ln.source == "State Wire")
