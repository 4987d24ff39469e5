"""The messages that answer questions asked of the store: search results, a person's quotes, and
one story in full. Every line of article text is verbatim and linked to its article."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from digests.attribution import is_confident
from digests.message import Action, Line, LineKind, Message, Section
from digests.models import Article, Quote, Story
from digests.text.summarize import summarize_story

__all__ = ["quote_line", "quotes_message", "search_message", "story_message"]

MAX_TIMELINE = 25
MAX_KEY_QUOTES = 5
MAX_FIGURES = 5
MAX_OUTLETS_NAMED = 5


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _outlets(articles: Sequence[Article]) -> list[str]:
    return list(dict.fromkeys(a.source or "source" for a in articles))


def _full_story(story_id: int) -> tuple[Action, ...]:
    return (Action(f"Full story #{story_id}", "story", (str(story_id),)),)


def _window(topic: str | None, since: datetime | None) -> str:
    parts = []
    if topic:
        parts.append(f"in {topic}")
    if since:
        parts.append(f"since {since:%Y-%m-%d %H:%M} UTC")
    return (" " + " ".join(parts)) if parts else ""


def _sentence(text: str, a: Article) -> Line:
    return Line(text, LineKind.SENTENCE, url=a.url, source=a.source or "source", source_label=a.label, when=a.published)


def search_message(
    query: str, stories: Sequence[Story], *, topic: str | None = None, since: datetime | None = None
) -> Message:
    """Stories matching ``query``, best first; each story's first article is its best match."""
    sections = []
    for story in stories:
        best = story.articles[0]
        lines = []
        if best.analysis.summary:
            lines.append(_sentence(best.analysis.summary[0], best))
        outlets = _outlets(story.articles)
        named = ", ".join(outlets[:MAX_OUTLETS_NAMED]) + (
            f" and {len(outlets) - MAX_OUTLETS_NAMED} more" if len(outlets) > MAX_OUTLETS_NAMED else ""
        )
        reports = _n(len(story.articles), "report")
        latest = max(a.when for a in story.articles)
        lines.append(Line(f"Story {story.id} · {reports} from {named} · latest {latest:%Y-%m-%d}"))
        sections.append(Section(best.title, tuple(lines), url=best.url, actions=_full_story(story.id)))
    count = f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}"
    return Message(
        f"Search “{query}”{_window(topic, since)}: {count}",
        tuple(sections),
        footer="Best match first. `/news story ID` shows a story in full.",
    )


def quotes_message(
    person: str, hits: Sequence[tuple[Quote, Article]], *, topic: str | None = None, since: datetime | None = None
) -> Message:
    """A person's quotes, newest first, one section per quote headed by its article."""
    names = list(dict.fromkeys(quote.speaker or "" for quote, _ in hits))
    who = names[0] if len(names) == 1 else f"{person} ({', '.join(names)})"
    sections = tuple(
        Section(article.title, (quote_line(q.text, q.speaker, article),), url=article.url,
                actions=_full_story(article.story_id))
        for q, article in hits
    )  # fmt: skip
    return Message(
        f"Quotes by {who}{_window(topic, since)}",
        sections,
        footer="Newest first; verbatim, only where the article clearly says who spoke. A quote several outlets "
        "carried is shown once.",
    )


def quote_line(quote_text: str, speaker: str | None, article: Article) -> Line:
    return Line(
        quote_text,
        LineKind.QUOTE,
        url=article.url,
        source=article.source or "source",
        source_label=article.label,
        when=article.published,
        speaker=speaker,
    )


def story_message(story: Story, *, max_sentences: int = 5) -> Message:
    """One story in full: summary, every report in time order (the timeline: when, outlet,
    headline, link), key quotes and key figures."""
    oldest_first = sorted(story.articles, key=lambda a: (a.when, a.id))
    sections = []
    if len(story.articles) > 1:
        by_key = {str(a.id): a for a in story.articles}
        picks = summarize_story([(str(a.id), a.text, a.title) for a in story.articles], max_sentences=max_sentences)
        summary = [_sentence(sentence, by_key[key]) for key, sentence in picks]
    else:
        only = story.articles[0]
        summary = [_sentence(s, only) for s in only.analysis.summary[:max_sentences]]
    if summary:
        sections.append(Section("Summary", tuple(summary)))
    timeline: list[Line] = []
    for a in oldest_first[:MAX_TIMELINE]:
        when = f"{a.when:%Y-%m-%d %H:%M} UTC" + ("" if a.published else " (first seen; no date given)")
        timeline.append(Line(f"{when} · {a.source or 'source'}"))
        timeline.append(_sentence(a.title, a))
    if len(oldest_first) > MAX_TIMELINE:
        timeline.append(Line(f"… and {len(oldest_first) - MAX_TIMELINE} later reports."))
    outlets = _outlets(story.articles)
    sections.append(
        Section(f"Timeline: {_n(len(story.articles), 'report')} from {_n(len(outlets), 'outlet')}", tuple(timeline))
    )
    quotes: list[Line] = []
    speakers: set[str] = set()
    texts: set[str] = set()
    for a in story.articles:  # newest first; the key quote of each speaker
        ranked = sorted((q for q in a.analysis.quotes if is_confident(q)), key=lambda q: (not q.is_key, -len(q.text)))
        for q in ranked:
            if len(quotes) >= MAX_KEY_QUOTES or q.speaker in speakers or q.text in texts:
                continue
            speakers.add(q.speaker or "")
            texts.add(q.text)
            quotes.append(quote_line(q.text, q.speaker, a))
    if quotes:
        sections.append(Section("Key quotes", tuple(quotes)))
    figures: list[Line] = []
    seen: set[str] = set()
    for a in story.articles:
        for fig in a.analysis.figures:
            if len(figures) >= MAX_FIGURES or fig.sentence in seen:
                continue
            seen.add(fig.sentence)
            figures.append(
                Line(
                    fig.sentence,
                    LineKind.FIGURE,
                    url=a.url,
                    source=a.source or "source",
                    source_label=a.label,
                    when=a.published,
                    figure=fig.text,
                )
            )
    if figures:
        sections.append(Section("Key figures", tuple(figures)))
    first, last = oldest_first[0].when, oldest_first[-1].when
    return Message(
        story.title,
        tuple(sections),
        intro=f"Story {story.id}: {_n(len(story.articles), 'report')} from {_n(len(outlets), 'outlet')}, "
        f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC.",
        footer="Verbatim from the sources; every line links to its article.",
    )
