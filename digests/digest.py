"""Building a topic's digest: the newest stories that match, each with its verbatim summary, its key
quote and figure, every line linked to its source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from digests.message import Action, Line, LineKind, Message, Section, Tone
from digests.models import Article, Story
from digests.text.summarize import summarize_story
from digests.topics import Topic

__all__ = ["build_digest", "group_stories", "matching", "story_actions", "story_section"]

MAX_MUTE_ACTIONS = 3


def matching(topic: Topic, articles: Iterable[Article]) -> list[Article]:
    """The articles that belong to ``topic``, in the order given."""
    return [a for a in articles if topic.matches(a.title, a.text, a.source)]


def group_stories(articles: Iterable[Article]) -> list[Story]:
    """Group articles by story, newest story first; a story's articles newest first."""
    by_story: dict[int, list[Article]] = {}
    for a in articles:
        by_story.setdefault(a.story_id, []).append(a)
    stories = []
    for story_id, items in by_story.items():
        items.sort(key=lambda a: a.when, reverse=True)
        stories.append(Story(id=story_id, title=items[-1].title, articles=tuple(items)))
    # a story with no publication date is not fresh news because the bot saw it late: after the dated
    stories.sort(key=lambda s: (s.dated, s.when), reverse=True)
    return stories


def _source_name(a: Article) -> str:
    return a.source or "source"


def story_section(story: Story, *, max_sentences: int = 3) -> Section:
    """One story as a section: summary sentences, its best quote and figure, each linked."""
    lead = story.articles[-1]  # the first report of the story carries its heading
    lines: list[Line] = []
    if len(story.articles) > 1:  # the best sentences across the sources, near-duplicates dropped
        by_key = {str(a.id): a for a in story.articles}
        picks = summarize_story([(str(a.id), a.text, a.title) for a in story.articles], max_sentences=max_sentences)
        chosen = [(by_key[key], sentence) for key, sentence in picks]
    else:
        chosen = [(story.articles[0], s) for s in story.articles[0].analysis.summary[:max_sentences]]
    for article, sentence in chosen:
        lines.append(
            Line(
                sentence,
                LineKind.SENTENCE,
                url=article.url,
                source=_source_name(article),
                source_label=article.label,
                when=article.published,
            )
        )
    quoted: set[str] = set()
    for article in story.articles:  # up to two key quotes of different speakers, each linked
        ranked = sorted(
            (q for q in article.analysis.quotes if q.speaker),
            key=lambda q: (not q.is_key, -min(len(q.text), 200)),
        )
        for quote in ranked:
            if len(quoted) >= 2 or quote.speaker in quoted:
                continue
            quoted.add(quote.speaker or "")
            lines.append(
                Line(
                    quote.text,
                    LineKind.QUOTE,
                    url=article.url,
                    source=_source_name(article),
                    source_label=article.label,
                    when=article.published,
                    speaker=quote.speaker,
                )
            )
    figure_article = next((a for a in story.articles if a.analysis.figures), None)
    if figure_article is not None:
        fig = figure_article.analysis.figures[0]
        lines.append(
            Line(
                fig.sentence,
                LineKind.FIGURE,
                url=figure_article.url,
                source=_source_name(figure_article),
                source_label=figure_article.label,
                when=figure_article.published,
                figure=fig.text,
            )
        )
    sources = sorted({_source_name(a) for a in story.articles})
    heading = lead.title if len(sources) == 1 else f"{lead.title} ({len(sources)} sources)"
    if not story.dated:
        heading += " · date unknown"
    if lead.analysis.language != "en":  # not English: summary by position, quotes unattributed
        heading += f" [{lead.analysis.language}]"
    return Section(heading=heading, lines=tuple(lines), url=lead.url, actions=story_actions(story))


def story_actions(story: Story) -> tuple[Action, ...]:
    """The buttons of a digest item: the story in full (``/news story ID``), and for admins, muting
    each of its first outlets (``/news feeds mute OUTLET``)."""
    actions = [Action(f"Full story #{story.id}", "story", (str(story.id),))]
    for outlet in list(dict.fromkeys(a.source for a in reversed(story.articles) if a.source))[:MAX_MUTE_ACTIONS]:
        actions.append(
            Action(
                f"Mute {outlet}",
                "feeds",
                ("mute", outlet),
                confirm=f"Leave {outlet} out of this workspace's digests? (admins; undo: /news feeds unmute {outlet})",
            )
        )
    return tuple(actions)


def build_digest(
    topic: Topic,
    stories: Sequence[Story],
    *,
    now: datetime,
    max_stories: int = 5,
    since: datetime | None = None,
    max_sentences: int = 3,
) -> Message:
    """The digest message for ``topic`` from ``stories`` (already matched, newest first)."""
    shown = list(stories)[:max_stories]
    window = f" since {since:%Y-%m-%d %H:%M} UTC" if since else ""
    if not shown:
        return Message(
            title=f"{topic.title}: no stories{window}",
            intro=(
                "Nothing in the store matches this topic yet. Ingest articles with "
                "`newsbot ingest PATH` or add feeds, then ask again."
            ),
            tone=Tone.INFO,
        )
    sources = {a.source or "source" for s in shown for a in s.articles}
    more = len(stories) - len(shown)
    footer = f"{len(shown)} {'story' if len(shown) == 1 else 'stories'} from {len(sources)} " + (
        "source" if len(sources) == 1 else "sources"
    )
    if more > 0:
        footer += f" · {more} more not shown"
    footer += f" · as of {now:%Y-%m-%d %H:%M} UTC"
    return Message(
        title=f"{topic.title} digest{window}",
        sections=tuple(story_section(s, max_sentences=max_sentences) for s in shown),
        footer=footer,
    )
