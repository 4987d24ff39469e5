"""Where a tracked story stands: the state of the latest relevant development reported, weighed by
how new each report is and by where in the report it stands (headline and lead first), with the
sentences that decided it, quotes, figures and a timeline.

A topic's states come from a built-in lifecycle (``lifecycle = "negotiation"``: the sentence
reader of ``digests.lifecycle``, which tells what a sentence asserts from its words and structure)
and/or from cue phrases configured per state. Cues are found once, at ingest (``find_cues``; kept by
``digests.store.status_index`` with the small keys scoring needs: ``CueRef``), so an answer reads
those keys for the topic's window from one covering index, decides (``judge``), then reads the
text of only the sentences it shows. Cue phrases of *assertive* states (a truce in force, an
agreement, a collapse) do not count when the clause before them negates or hedges them. A sentence
repeated word for word by several outlets (a wire copy) counts once.

How an answer is decided: each report (article) gets a say in proportion to its evidence (a
report with one weak mention says little, one whose headline and lead assert a state says it
fully); reports count less as they age (half-life ``HALF_LIFE_DAYS``), so the latest development
wins and older reports stay as context; developments that depend on what stands (an exchange of
prisoners, an escalation: ``digests.lifecycle.resolve``) are read against the state the other
evidence gives. "No state" only when no sentence of the window's reports has a cue.

Everything shown is verbatim from a source and linked to it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from digests.lifecycle import ASSERTED, BACKGROUND, CONTEXTUAL, STANCE_WEIGHT, read_sentence, resolve
from digests.message import Line, LineKind, Message, Section
from digests.models import Article, Figure, Quote
from digests.text.sentences import split_sentences
from digests.topics import StatusState, Topic

__all__ = [
    "READER_VERSION",
    "Cue",
    "CueRef",
    "Evidence",
    "StatusReport",
    "Verdict",
    "build_status",
    "find_cues",
    "from_micros",
    "judge",
    "micros",
    "outlet_key",
    "sentence_key",
    "status_json",
    "status_message",
    "wire_key",
]

HALF_LIFE_DAYS = 0.2  # a report's say halves every ~5 hours: the latest development wins
READER_VERSION = 2  # bump when find_cues reads differently: the status index is then rebuilt
# a report's say by where the sentence stands: the headline (0), then the lead sentences
_POSITION_WEIGHT = (5.0, 4.0, 2.0, 1.0, 0.4)
_CERTAINTY_WEIGHT = {ASSERTED: 1.0, BACKGROUND: 0.6}  # else (weak) 0.35
_WEAK_WEIGHT = 0.35
_FULL_SAY = 3.0  # evidence weight at which a report has its full say
_MAX_POSITION = 30
_FINAL = (".", "!", "?", '"', "”", "’", "'", ")")
_CLAUSE = re.compile(r"[,;:—–()]|\b(?:but|while|although|though|however)\b", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:no|not|never|nor|without|neither|refus\w*|reject\w*|turn(?:ed|s)? down|den(?:y|ied|ies)|rul(?:ed|es) out"
    r"|if|unless|would|could|might|should|possible|possibly|potential(?:ly)?|propos\w*|hop\w*|call(?:ed|s)? for"
    r"|urg\w*|discuss\w*|consider\w*|seek\w*|sought|offer\w*|push\w* for|demand\w*|whether|any)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A sentence of an article (or its headline) that asserts one state."""

    sentence: str
    state_id: str
    cues: int  # how firmly: ASSERTED, BACKGROUND (a subordinate clause) or WEAK (digests.lifecycle)
    strength: int  # where it stands in its report: 0 the headline, 1 the first sentence, ... (lower is stronger)


def _hedged(sentence: str, at: int) -> bool:
    clause_start = 0
    for m in _CLAUSE.finditer(sentence, 0, at):
        clause_start = m.end()
    return bool(_HEDGE.search(sentence, clause_start, at))


def _phrase_state(topic: Topic, sentence: str) -> StatusState | None:
    """The first state (in the topic's order) with a configured cue phrase in ``sentence``."""
    for state in topic.status_states:
        for pattern in state.patterns:
            if any(not (state.assertive and _hedged(sentence, m.start())) for m in pattern.finditer(sentence)):
                return state
    return None


def _sentence_cue(topic: Topic, sentence: str, position: int) -> Cue | None:
    state = _phrase_state(topic, sentence)
    if state is not None:  # a configured phrase: the admin's word
        return Cue(sentence, state.id, ASSERTED, position)
    if topic.status_lifecycle is not None:
        reading = read_sentence(sentence)
        if reading is not None:
            return Cue(sentence, reading.state_id, reading.certainty, position)
    return None


def find_cues(topic: Topic, text: str, title: str | None = None) -> list[Cue]:
    """Every sentence of ``text`` (not headings) that asserts a state of ``topic``, and the headline
    ``title`` when it does; each counts for one state."""
    found: list[Cue] = []
    if title and title.strip():
        cue = _sentence_cue(topic, title.strip(), 0)
        if cue is not None:
            found.append(cue)
    for n, (start, end) in enumerate(split_sentences(text), 1):
        sentence = text[start:end]
        if not sentence.rstrip().endswith(_FINAL):
            continue  # a subheading, not a statement
        cue = _sentence_cue(topic, sentence, min(n, _MAX_POSITION))
        if cue is not None:
            found.append(cue)
    return found


@dataclass(frozen=True, slots=True)
class Evidence:
    cue: Cue
    article_id: int
    title: str
    url: str | None
    source: str | None
    published: datetime | None
    at: datetime  # published, else first seen
    weight: float = 1.0

    @property
    def state_id(self) -> str:
        return self.cue.state_id

    @property
    def sentence(self) -> str:
        return self.cue.sentence

    def ref(self, ref_id: int) -> CueRef:
        """What scoring needs of this sentence, under ``ref_id``."""
        return CueRef(
            ref_id,
            self.article_id,
            self.state_id,
            micros(self.at),
            wire_key(self.sentence),
            sentence_key(self.sentence),
            outlet_key(self.source, self.title),
            self.cue.cues,
            self.cue.strength,
        )


class CueRef(NamedTuple):
    """One cue sentence as scoring sees it: small values only, computed at ingest and kept beside the
    evidence (``status_evidence``), so that an answer reads them from one covering index and only
    reads the text of the few sentences it shows."""

    id: int  # the evidence row
    article_id: int
    state_id: str
    at_us: int  # ``micros`` of the article's time
    wire_key: int  # the sentence with case and spacing normalised: a wire copy has the same key
    sentence_key: int  # the sentence as written
    outlet_key: int  # the outlet (source, else title)
    cues: int
    strength: int


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(at: datetime) -> int:
    """``at`` (timezone-aware) as whole microseconds since the epoch: exact, so that recency computed
    from it is bit-for-bit the recency computed from the datetime."""
    return (at - _EPOCH) // _MICROSECOND


def from_micros(at_us: int) -> datetime:
    """The UTC datetime of ``micros``."""
    return _EPOCH + timedelta(microseconds=at_us)


def _key(text: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big", signed=True
    )


def wire_key(sentence: str) -> int:
    """Equal for sentences that differ only in case and spacing (a wire copy counts once)."""
    return _key(" ".join(sentence.lower().split()))


def sentence_key(sentence: str) -> int:
    return _key(sentence)


def outlet_key(source: str | None, title: str) -> int:
    """Who reported it: the outlet, else (no outlet known) the article's title."""
    return _key(source or title)


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
    previous_state: StatusState | None = None
    changes: tuple[Evidence, ...] = ()
    changes_since: datetime | None = None
    last_reported: datetime | None = None  # when the decisive state was last reported


def _recency_us(at_us: int, as_of_us: int) -> float:
    # (a - b) / 10**6 is exactly timedelta.total_seconds(): both divide the same integer of microseconds
    age_days = max((as_of_us - at_us) / 1_000_000, 0.0) / 86400
    return math.pow(0.5, age_days / HALF_LIFE_DAYS)


def _weight(ev: CueRef) -> float:
    """How much one sentence says for its report: by where it stands and how firmly it asserts."""
    position = _POSITION_WEIGHT[min(ev.strength, len(_POSITION_WEIGHT) - 1)] if ev.strength >= 0 else 1.0
    return position * _CERTAINTY_WEIGHT.get(ev.cues, _WEAK_WEIGHT) * STANCE_WEIGHT.get(ev.state_id, 1.0)


class _Scored(NamedTuple):
    scores: dict[str, float]
    outlets: dict[str, set[int]]
    counted: list[CueRef]  # the pool without wire copies
    states: dict[int, str]  # evidence row -> the state it counts for


def _tally(
    reports: Mapping[int, tuple[int, list[CueRef]]], as_of_us: int, standing: str | None, contextual: bool
) -> tuple[dict[str, float], dict[int, str]]:
    scores: dict[str, float] = {}
    states: dict[int, str] = {}
    for at_us, evs in reports.values():
        kept = [ev for ev in evs if contextual or ev.state_id not in CONTEXTUAL]
        say = _recency_us(at_us, as_of_us) / max(sum(_weight(ev) for ev in kept), _FULL_SAY)
        for ev in kept:
            state = resolve(ev.state_id, standing)
            states[ev.id] = state
            scores[state] = scores.get(state, 0.0) + _weight(ev) * say
    return scores, states


def _best(scores: Mapping[str, float], order: Mapping[str, int]) -> str | None:
    return max(scores, key=lambda k: (scores[k], -order.get(k, 99))) if scores else None


def _score(pool: Sequence[CueRef], as_of_us: int, order: Mapping[str, int]) -> _Scored:
    """Each report's say (its evidence, normalised; by age), summed per state."""
    seen: set[int] = set()
    counted: list[CueRef] = []
    reports: dict[int, tuple[int, list[CueRef]]] = {}
    for ev in pool:
        if ev.wire_key in seen:
            continue  # a wire copy: the same sentence from another outlet counts once
        seen.add(ev.wire_key)
        counted.append(ev)
        reports.setdefault(ev.article_id, (ev.at_us, []))[1].append(ev)
    standing = None
    if any(ev.state_id in CONTEXTUAL for ev in counted):
        # what stands without the developments that depend on it
        standing = _best(_tally(reports, as_of_us, None, contextual=False)[0], order)
    scores, states = _tally(reports, as_of_us, standing, contextual=True)
    outlets: dict[str, set[int]] = {}
    for ev in counted:
        outlets.setdefault(states[ev.id], set()).add(ev.outlet_key)
    return _Scored(scores, outlets, counted, states)


@dataclass(frozen=True)
class Verdict:
    """What the evidence decides, before any sentence text is read: the state, the confidence and
    which evidence rows (``CueRef.id``) the answer shows. ``report`` adds their text."""

    topic: Topic
    as_of: datetime
    state: StatusState | None
    confidence: str
    confidence_note: str
    decisive: tuple[CueRef, ...]
    changes: tuple[CueRef, ...]
    recent: tuple[Article, ...]
    sources: int
    articles: int
    scores: dict[str, float]
    previous_state: StatusState | None
    changes_since: datetime | None
    last_reported: datetime | None = None

    @property
    def shown(self) -> set[int]:
        """The evidence rows whose text the answer needs."""
        return {ev.id for ev in self.decisive} | {ev.id for ev in self.changes}

    def report(self, texts: Mapping[int, Evidence]) -> StatusReport:
        """The report, with ``texts[id]`` for the ids in ``shown`` (one missing is left out)."""
        quotes: dict[str, tuple[Quote, Article]] = {}
        for article in self.recent:
            for q in article.analysis.quotes:
                if q.speaker and q.speaker not in quotes and len(q.text.split()) >= 4:
                    quotes[q.speaker] = (q, article)
        figures = [(f, a) for a in self.recent for f in a.analysis.figures][:5]
        timeline: list[Article] = []
        for a in self.recent:  # one line per story, newest first
            if all(t.story_id != a.story_id for t in timeline):
                timeline.append(a)
        return StatusReport(
            topic=self.topic,
            as_of=self.as_of,
            state=self.state,
            confidence=self.confidence,
            confidence_note=self.confidence_note,
            evidence=tuple(texts[ev.id] for ev in self.decisive if ev.id in texts),
            quotes=tuple(list(quotes.values())[:5]),
            figures=tuple(figures),
            timeline=tuple(timeline[:8]),
            sources=self.sources,
            articles=self.articles,
            scores=self.scores,
            previous_state=self.previous_state,
            changes=tuple(texts[ev.id] for ev in self.changes if ev.id in texts),
            changes_since=self.changes_since,
            last_reported=self.last_reported,
        )


def judge(
    topic: Topic,
    evidence: Sequence[CueRef],
    recent: Sequence[Article],
    *,
    as_of: datetime,
    previous: tuple[str | None, datetime] | None = None,
) -> Verdict:
    """Decide the status of ``topic`` as of ``as_of`` (see ``build_status``); ``evidence`` in the
    order of the index (time, then row), which decides which of several wire copies counts."""
    as_of_us = micros(as_of)
    window_us = micros(as_of - timedelta(days=topic.status_window_days))
    pool = [ev for ev in evidence if window_us <= ev.at_us <= as_of_us]
    recent = [a for a in recent if a.when <= as_of]
    order = {s.id: i for i, s in enumerate(topic.status_states)}
    scored = _score(pool, as_of_us, order)
    scores, outlets = scored.scores, scored.outlets
    state = None
    last_reported = None
    confidence, note = "none", "No sentence in the recent reports asserts a state of this topic."
    best_id = _best(scores, order)
    if best_id is not None:
        state = next((s for s in topic.status_states if s.id == best_id), None)
    if state is not None:
        best = [ev for ev in scored.counted if scored.states[ev.id] == state.id]
        last_reported = from_micros(max(ev.at_us for ev in best))
        share = scores[state.id] / sum(scores.values())
        n_best = len({ev.sentence_key for ev in best})
        n_sources = len(outlets[state.id])
        if share >= 0.7 and n_best >= 3 and n_sources >= 2:
            confidence = "high"
        elif share >= 0.5 and n_best >= 2:
            confidence = "medium"
        else:
            confidence = "low"
        plural = "s" if n_sources != 1 else ""
        parts = [f"{n_best} matching sentence{'s' if n_best != 1 else ''} from {n_sources} source{plural}"]
        if n_sources < 2:
            parts.append("thin evidence: a single source")
        if share < 0.7:
            rivals = sorted((k for k in scores if k != state.id), key=lambda k: -scores[k])[:2]
            labels = ", ".join(s.label.lower() for s in topic.status_states if s.id in rivals)
            parts.append(f"conflicting signals ({labels})")
        note = "; ".join(parts)
    decisive: list[CueRef] = []
    shown: set[int] = set()  # sentences already chosen: each is shown once
    for ev in sorted(
        (ev for ev in scored.counted if state is not None and scored.states[ev.id] == state.id),
        key=lambda ev: (-round(_recency_us(ev.at_us, as_of_us), 1), -_weight(ev), ev.strength, -ev.at_us),
    ):
        if ev.sentence_key not in shown:
            shown.add(ev.sentence_key)
            decisive.append(ev)
            if len(decisive) == 3:
                break
    prev_state: StatusState | None = None
    changes: tuple[CueRef, ...] = ()
    since: datetime | None = None
    if previous is not None:
        since = previous[1]
        since_us = micros(since)
        prev_state = next((s for s in topic.status_states if s.id == previous[0]), None)
        changes = tuple(sorted((ev for ev in pool if ev.at_us > since_us), key=lambda ev: ev.at_us, reverse=True)[:3])
    return Verdict(
        topic=topic,
        as_of=as_of,
        state=state,
        confidence=confidence,
        confidence_note=note,
        decisive=tuple(decisive),
        changes=changes,
        recent=tuple(recent),
        sources=len({outlet_key(a.source, a.title) for a in recent} | {ev.outlet_key for ev in pool}),
        articles=len({a.id for a in recent} | {ev.article_id for ev in pool}),
        scores=scores,
        previous_state=prev_state,
        changes_since=since,
        last_reported=last_reported,
    )


def build_status(
    topic: Topic,
    evidence: Sequence[Evidence],
    recent: Sequence[Article],
    *,
    as_of: datetime,
    previous: tuple[str | None, datetime] | None = None,
) -> StatusReport:
    """The status of ``topic`` as of ``as_of``.

    Args:
        evidence: cue sentences of the topic's window (published up to ``as_of``), oldest first.
        recent: the newest matching articles up to ``as_of`` (quotes, figures, timeline).
        previous: the state and time of this channel's previous answer, for "what changed".
    """
    verdict = judge(topic, [ev.ref(i) for i, ev in enumerate(evidence)], recent, as_of=as_of, previous=previous)
    return verdict.report(dict(enumerate(evidence)))


def _src(source: str | None) -> str:
    return source or "source"


def _ev_line(ev: Evidence) -> Line:
    return Line(ev.sentence, LineKind.SENTENCE, url=ev.url, source=_src(ev.source), when=ev.published)


def status_message(report: StatusReport) -> Message:
    """Render a status report as the neutral message."""
    topic = report.topic
    if not report.articles:
        return Message(
            title=f"{topic.title}: no reports yet",
            intro="No article in the store matches this topic yet, so there is nothing to judge its status from.",
            footer=f"As of {report.as_of:%Y-%m-%d %H:%M} UTC · 0 sources",
        )
    label = report.state.label if report.state else "Unclear"
    sections: list[Section] = []
    if report.changes_since is not None:
        was = report.previous_state.label if report.previous_state else "unclear"
        heading = f"What changed since {report.changes_since:%Y-%m-%d %H:%M} UTC" + (
            f" (was: {was})" if report.previous_state != report.state else " (state unchanged)"
        )
        lines = tuple(_ev_line(ev) for ev in report.changes) or (Line("No new evidence since then."),)
        sections.append(Section(heading, lines))
    if report.evidence:
        sections.append(Section("Why", tuple(_ev_line(ev) for ev in report.evidence)))
    if report.quotes:
        sections.append(
            Section(
                "Who said what",
                tuple(
                    Line(q.text, LineKind.QUOTE, url=a.url, source=_src(a.source), when=a.published, speaker=q.speaker)
                    for q, a in report.quotes
                ),
            )
        )
    if report.figures:
        sections.append(
            Section(
                "By the numbers",
                tuple(
                    Line(f.sentence, LineKind.FIGURE, url=a.url, source=_src(a.source), when=a.published, figure=f.text)
                    for f, a in report.figures
                ),
            )
        )
    if report.timeline:
        sections.append(
            Section(
                "Timeline",
                tuple(
                    Line(a.title, LineKind.SENTENCE, url=a.url, source=_src(a.source), when=a.when)
                    for a in report.timeline
                ),
            )
        )
    intro = f"Confidence: {report.confidence} ({report.confidence_note})."
    if report.last_reported is not None:
        intro += f" Last reported {report.last_reported:%Y-%m-%d %H:%M} UTC."
    return Message(
        title=f"{topic.title}: {label}",
        intro=intro,
        sections=tuple(sections),
        footer=f"As of {report.as_of:%Y-%m-%d %H:%M} UTC · {report.sources} "
        f"source{'s' if report.sources != 1 else ''} · {report.articles} article{'s' if report.articles != 1 else ''}",
    )


def status_json(report: StatusReport) -> dict[str, object]:
    """``{state, confidence, last_reported, evidence: [{sentence, url, published}], changes, quotes, figures,
    timeline}``."""

    def when(dt: datetime | None) -> str | None:
        return dt.isoformat() if dt else None

    return {
        "topic": report.topic.id,
        "as_of": report.as_of.isoformat(),
        "state": report.state.id if report.state else None,
        "label": report.state.label if report.state else None,
        "confidence": report.confidence,
        "confidence_note": report.confidence_note,
        "last_reported": when(report.last_reported),
        "evidence": [{"sentence": ev.sentence, "url": ev.url, "published": when(ev.at)} for ev in report.evidence],
        "changes": [{"sentence": ev.sentence, "url": ev.url, "published": when(ev.at)} for ev in report.changes],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "url": a.url, "published": when(a.published)}
            for q, a in report.quotes
        ],
        "figures": [
            {"text": f.text, "value": f.value, "sentence": f.sentence, "url": a.url} for f, a in report.figures
        ],
        "timeline": [{"title": a.title, "url": a.url, "published": when(a.when)} for a in report.timeline],
        "sources": report.sources,
        "articles": report.articles,
        "scores": {k: round(v, 3) for k, v in report.scores.items()},
    }
