"""Where a tracked story stands: a state from the topic's configured cue phrases, weighted by recency
and by how many outlets report it, with the sentences that decided it, quotes, figures and a timeline.

Everything shown is verbatim from a source and linked to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from digests.digest import group_stories
from digests.message import Line, LineKind, Message, Section, Tone
from digests.models import Article, Figure, Quote
from digests.text.sentences import split_sentences
from digests.topics import StatusState, Topic

__all__ = ["Evidence", "StatusReport", "build_status", "status_message"]

HALF_LIFE_DAYS = 3.0


@dataclass(frozen=True, slots=True)
class Evidence:
    sentence: str
    article: Article
    state_id: str
    weight: float
    cues: int = 1  # how many of the state's cues the sentence has
    strength: int = 0  # index of its strongest cue (0 = the state's first cue)


@dataclass(frozen=True)
class StatusReport:
    topic: Topic
    as_of: datetime
    state: StatusState | None
    confidence: str  # "high", "medium", "low" or "none"
    confidence_note: str
    evidence: tuple[Evidence, ...]
    quotes: tuple[tuple[Quote, Article], ...]
    figures: tuple[tuple[Figure, Article], ...]
    timeline: tuple[Article, ...]
    sources: int
    articles: int
    scores: dict[str, float] = field(default_factory=dict)


_FINAL = ('.', '!', '?', '"', "”", "’", "'", ")")


def _recency(article: Article, as_of: datetime) -> float:
    age_days = max((as_of - article.when).total_seconds(), 0.0) / 86400
    return math.pow(0.5, age_days / HALF_LIFE_DAYS)


def _evidence(topic: Topic, articles: Sequence[Article], as_of: datetime) -> list[Evidence]:
    """Sentences (not headings) that carry one of the states' cues; each counts for one state."""
    found: list[Evidence] = []
    for article in articles:
        recency = _recency(article, as_of)
        for start, end in split_sentences(article.text):
            sentence = article.text[start:end]
            if not sentence.rstrip().endswith(_FINAL):
                continue  # a subheading, not a statement
            for state in topic.status_states:
                hits = [i for i, p in enumerate(state.patterns) if p.search(sentence)]
                if hits:
                    found.append(Evidence(sentence, article, state.id, recency, len(hits), hits[0]))
                    break
    return found


def build_status(topic: Topic, articles: Sequence[Article], *, as_of: datetime) -> StatusReport:
    """The status of ``topic`` from matching ``articles`` published up to ``as_of``."""
    window = timedelta(days=topic.status_window_days)
    pool = [a for a in articles if a.when <= as_of]
    recent = [a for a in pool if a.when >= as_of - window] or pool[:10]
    evidence = _evidence(topic, recent, as_of)
    scores: dict[str, float] = {}
    outlets: dict[str, set[str]] = {}
    for ev in evidence:
        scores[ev.state_id] = scores.get(ev.state_id, 0.0) + ev.weight
        outlets.setdefault(ev.state_id, set()).add(ev.article.source or ev.article.title)
    for state_id, names in outlets.items():
        scores[state_id] *= 1 + 0.5 * (len(names) - 1)  # corroboration by several outlets
    state = None
    confidence, note = "none", "No sentence in the recent reports matches any of this topic's status cues."
    if scores:
        order = {s.id: i for i, s in enumerate(topic.status_states)}
        best_id = max(scores, key=lambda k: (scores[k], -order[k]))
        state = next(s for s in topic.status_states if s.id == best_id)
        total = sum(scores.values())
        share = scores[best_id] / total
        n_best = sum(1 for ev in evidence if ev.state_id == best_id)
        n_sources = len(outlets[best_id])
        if share >= 0.7 and n_best >= 3 and n_sources >= 2:
            confidence = "high"
        elif share >= 0.5 and n_best >= 2:
            confidence = "medium"
        else:
            confidence = "low"
        parts = [
            f"{n_best} matching sentence{'s' if n_best != 1 else ''} from {n_sources} source"
            + ("s" if n_sources != 1 else "")
        ]
        if n_sources < 2:
            parts.append("thin evidence: a single source")
        if share < 0.7:
            rivals = sorted((k for k in scores if k != best_id), key=lambda k: -scores[k])[:2]
            labels = ", ".join(s.label.lower() for s in topic.status_states if s.id in rivals)
            parts.append(f"conflicting signals ({labels})")
        note = "; ".join(parts)
    decisive = sorted(
        (ev for ev in evidence if state is not None and ev.state_id == state.id),
        key=lambda ev: (-round(ev.weight, 1), -ev.cues, ev.strength),
    )[:3]
    quotes: dict[str, tuple[Quote, Article]] = {}
    for article in sorted(recent, key=lambda a: a.when, reverse=True):
        for q in article.analysis.quotes:
            if q.speaker and q.speaker not in quotes and len(q.text.split()) >= 4:
                quotes[q.speaker] = (q, article)
    figures = [(f, a) for a in sorted(recent, key=lambda a: a.when, reverse=True) for f in a.analysis.figures][:5]
    timeline = tuple(s.articles[-1] for s in group_stories(pool))[:8]
    return StatusReport(
        topic=topic,
        as_of=as_of,
        state=state,
        confidence=confidence,
        confidence_note=note,
        evidence=tuple(decisive),
        quotes=tuple(list(quotes.values())[:5]),
        figures=tuple(figures),
        timeline=timeline,
        sources=len({a.source or a.title for a in recent}),
        articles=len(recent),
        scores=scores,
    )


def _src(a: Article) -> str:
    return a.source or "source"


def status_message(report: StatusReport) -> Message:
    """Render a status report as the neutral message."""
    topic = report.topic
    if not report.articles:
        return Message(
            title=f"{topic.title}: no reports yet",
            intro="No article in the store matches this topic, so there is nothing to judge the status from.",
        )
    label = report.state.label if report.state else "Unclear"
    sections: list[Section] = []
    if report.evidence:
        sections.append(
            Section(
                "Why",
                tuple(
                    Line(
                        ev.sentence,
                        LineKind.SENTENCE,
                        url=ev.article.url,
                        source=_src(ev.article),
                        when=ev.article.published,
                    )
                    for ev in report.evidence
                ),
            )
        )
    if report.quotes:
        sections.append(
            Section(
                "Who said what",
                tuple(
                    Line(q.text, LineKind.QUOTE, url=a.url, source=_src(a), when=a.published, speaker=q.speaker)
                    for q, a in report.quotes
                ),
            )
        )
    if report.figures:
        sections.append(
            Section(
                "By the numbers",
                tuple(
                    Line(f.sentence, LineKind.FIGURE, url=a.url, source=_src(a), when=a.published, figure=f.text)
                    for f, a in report.figures
                ),
            )
        )
    sections.append(
        Section(
            "Timeline",
            tuple(
                Line(a.title, LineKind.SENTENCE, url=a.url, source=_src(a), when=a.published) for a in report.timeline
            ),
        )
    )
    return Message(
        title=f"{topic.title}: {label}",
        intro=f"Confidence: {report.confidence} ({report.confidence_note}).",
        sections=tuple(sections),
        footer=f"As of {report.as_of:%Y-%m-%d %H:%M} UTC · {report.sources} "
        f"source{'s' if report.sources != 1 else ''} · {report.articles} article{'s' if report.articles != 1 else ''}",
        tone=Tone.INFO,
    )
