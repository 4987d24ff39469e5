"""Weighted evidence that two reports tell the same development, and the grouping rule.

An article is a bag of *features* from its title and lead: word stems, pairs of adjacent content
words ("flight 10", "black smoke", "court intern..."), the numbers it gives, the calendar dates it
names ("@may28") and the weekdays it names ("@wed", the day a development happened). Each feature
is weighed by how rare it is in what this deployment has stored (inverse document frequency from
the store's own counts, kept at ingest), so the names every report of a running story shares
("Trump", "Vatican", "Starship") say little and the rare things two reports of one development
share ("Ship 36", "125", "black smoke") say much. Similarity is the cosine of the weighted bags.

Grouping is average linkage, best pair first: a report joins a group only when it agrees with the
group as a whole (the mean similarity to its members), not with one member, so a running story does
not chain from one development to the next. Time is a hard limit: every dated member of a group lies
within ``WINDOW_DAYS`` of every other, so a follow-up two days later is a new story. An undated
report has no time evidence; it joins only on a higher similarity (``THRESHOLD_UNDATED``).

Nothing here is built from a data set's sentences: the stop words are English function words, and
the thresholds are the only tuned values (see ``benchmarks/stories.py``).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = [
    "LEAD_CHARS",
    "NEAR_DUPLICATE",
    "THRESHOLD",
    "THRESHOLD_UNDATED",
    "WINDOW_DAYS",
    "Item",
    "Span",
    "cluster",
    "cosine",
    "features",
    "index_keys",
    "term_key",
    "time_agrees",
    "weigh",
]

THRESHOLD = 0.11  # mean cosine a report needs with a group to join it
THRESHOLD_UNDATED = 0.13  # the same when no time evidence says the two are close
WINDOW_DAYS = 1  # dated members of a story are at most this many days apart
NEAR_DUPLICATE = 0.6  # MinHash Jaccard above which two texts are copies of one report
LEAD_CHARS = 1500  # the title and this much of the text carry the development
INDEX_TERMS = 16  # the rarest features of an article go into the candidate index

Span = tuple[int, int]  # first and last possible day of publication (date.toordinal())

_WORD = re.compile(r"\w[\w'’.-]*\w|\w", re.UNICODE)
_MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*[:%])",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
# English function words and calendar words (calendar words become "@" features of their own).
_STOP_WORDS = """a about above after again against all also am among amid an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too under until
    up upon very was we were what when where which while who whom whose why will with within without would
    you your yours said says say told tell according also however meanwhile yet still even ago
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight morning
    evening night week weeks day days month months year years
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr"""
_STOP = frozenset(_STOP_WORDS.split())
_SUFFIXES = ("ings", "ing", "ies", "ed", "es", "s")


def _stem(word: str) -> str:
    # A light suffix strip, not a full stemmer (snowball/porter would be one more dependency for
    # little gain here): "launches"/"launched"/"launching" meet, short words stay whole.
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _token(raw: str) -> str | None:
    word = raw.strip(".'’-").lower()
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    word = word.replace(",", "")
    if not word or word in _STOP:
        return None
    if word.isdigit():
        if len(word) == 4 and 1900 <= int(word) <= 2100:
            return None  # a year: every report of a season names it
        return word
    if len(word) < 2:
        return None
    return _stem(word)


def features(title: str, text: str) -> dict[str, int]:
    """The feature counts of an article: stems, adjacent pairs, numbers, dates and weekdays named."""
    lead = f"{title}\n{text[:LEAD_CHARS]}"
    counts: Counter[str] = Counter()
    previous: str | None = None
    for match in _WORD.finditer(lead):
        token = _token(match.group())
        if token is None:
            previous = None
            continue
        counts[token] += 1
        if previous is not None:
            counts[f"{previous} {token}"] += 1
        previous = token
    for match in _MONTH_DAY.finditer(lead):
        counts[f"@{match.group(1)[:3].lower()}{int(match.group(2))}"] += 1
    for match in _WEEKDAY.finditer(lead):
        counts[f"@{match.group(1)[:3].lower()}"] += 1
    return dict(counts)


def term_key(term: str) -> int:
    """A stable signed 64-bit key for a feature (the store counts features by key)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "big", signed=True)


def weigh(counts: Mapping[str, int], df: Callable[[str], int], total: int) -> dict[str, float]:
    """TF-IDF weights (sublinear term frequency), unit length. ``df(term)`` counts the stored
    articles with the feature, ``total`` the stored articles; a feature in every article weighs 0."""
    out: dict[str, float] = {}
    for term, n in counts.items():
        idf = math.log((total + 1) / (df(term) + 1))
        if idf > 0:
            out[term] = (1.0 + math.log(n)) * idf
    norm = math.sqrt(sum(w * w for w in out.values()))
    return {t: w / norm for t, w in out.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def index_keys(weights: Mapping[str, float], n: int = INDEX_TERMS) -> list[str]:
    """The ``n`` features that weigh most (the rarest things the article says), for the index."""
    return [t for t, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def time_agrees(a: Span | None, b: Span | None, window: int = WINDOW_DAYS) -> bool | None:
    """True when two publication spans are within ``window`` days, False when further apart,
    None when either is unknown (no time evidence either way)."""
    if a is None or b is None:
        return None
    return a[0] - window <= b[1] and b[0] - window <= a[1]


def day_span(when: datetime | None) -> Span | None:
    if when is None:
        return None
    day = when.date().toordinal()
    return (day, day)


def month_span(year: int, month: int) -> Span:
    first = date(year, month, 1).toordinal()
    nxt = date(year + month // 12, month % 12 + 1, 1).toordinal()
    return (first, nxt - 1)


@dataclass
class Item:
    """One article as grouping sees it. ``label`` is its current group; ``fixed`` groups (stories
    already posted) are kept whole: others may join them, they are never split at ingest."""

    key: int
    label: int | None
    weights: dict[str, float]
    span: Span | None
    minhash: tuple[int, ...] = ()
    fixed: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def pair_similarity(a: Item, b: Item) -> float:
    sim = cosine(a.weights, b.weights)
    if a.minhash and _jaccard(a.minhash, b.minhash) >= NEAR_DUPLICATE:
        sim = max(sim, 1.0)  # a wire copy or a light edit of the same report
    return sim


def _merge_time(x: bool | None, y: bool | None) -> bool | None:
    if x is False or y is False:
        return False
    if x or y:
        return True
    return None


def cluster(
    items: Iterable[Item],
    *,
    threshold: float = THRESHOLD,
    threshold_undated: float = THRESHOLD_UNDATED,
    window: int = WINDOW_DAYS,
) -> list[list[Item]]:
    """Average-linkage agglomerative grouping, best pair first, with time as a hard limit.

    Items of one ``fixed`` label start as one group; every other item starts alone. Two groups merge
    when the mean similarity of their members reaches the threshold (the higher one when no dated
    member of one is within the window of a dated member of the other) and no two dated members
    would be more than ``window`` days apart. Two fixed groups never merge.
    """
    groups: list[list[Item]] = []
    fixed_at: dict[int, int] = {}
    for item in items:
        if item.fixed and item.label is not None:
            if item.label in fixed_at:
                groups[fixed_at[item.label]].append(item)
                continue
            fixed_at[item.label] = len(groups)
        groups.append([item])
    n = len(groups)
    alive = [True] * n
    is_fixed = [g[0].fixed for g in groups]
    sizes = [len(g) for g in groups]
    sim: dict[tuple[int, int], float] = {}
    near: dict[tuple[int, int], bool | None] = {}
    for i in range(n):
        for j in range(i + 1, n):
            total = 0.0
            when: bool | None = None
            for a in groups[i]:
                for b in groups[j]:
                    total += pair_similarity(a, b)
                    when = _merge_time(when, time_agrees(a.span, b.span, window))
            sim[i, j] = total / (sizes[i] * sizes[j])
            near[i, j] = when
    while True:
        best: tuple[float, int, int] | None = None
        for (i, j), s in sim.items():
            if not (alive[i] and alive[j]) or near[i, j] is False or (is_fixed[i] and is_fixed[j]):
                continue
            margin = s - (threshold if near[i, j] else threshold_undated)
            if margin >= 0 and (best is None or margin > best[0]):
                best = (margin, i, j)
        if best is None:
            break
        _, i, j = best
        alive[j] = False
        groups[i].extend(groups[j])
        is_fixed[i] = is_fixed[i] or is_fixed[j]
        for k in range(n):  # Lance-Williams update for average linkage
            if k in (i, j) or not alive[k]:
                continue
            ik, jk = (min(i, k), max(i, k)), (min(j, k), max(j, k))
            sim[ik] = (sizes[i] * sim[ik] + sizes[j] * sim[jk]) / (sizes[i] + sizes[j])
            near[ik] = _merge_time(near[ik], near[jk])
        sizes[i] += sizes[j]
    return [g for g, live in zip(groups, alive, strict=True) if live]
