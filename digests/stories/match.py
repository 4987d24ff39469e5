"""Deciding whether two articles report the same event.

Two rules, either suffices, within ``WINDOW`` of each other:

* near-duplicate: MinHash Jaccard of 3-word shingles ≥ ``NEAR_DUPLICATE`` (wire copies, light edits);
* same development: shared people/places weighed with shared numbers and key terms (reports written
  independently: "Zelensky", "Kyiv", "108" and "drones" in both); at least two shared names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from digests.stories.signature import Signature

__all__ = ["NEAR_DUPLICATE", "WINDOW", "Candidate", "best_story", "same_story", "score"]

WINDOW = timedelta(hours=48)
NEAR_DUPLICATE = 0.35


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article already in a story."""

    story_id: int
    when: datetime
    signature: Signature


def score(a: Signature, b: Signature) -> float:
    """0 (unrelated) to 1+ (the same event); ``same_story`` is ``score >= 1``."""
    jac = a.jaccard(b)
    if jac >= NEAR_DUPLICATE:
        return 1.0 + jac
    names = len(a.names & b.names)
    numbers = len(a.numbers & b.numbers)
    terms = len(a.terms & b.terms)
    evidence = 0.18 * min(names, 5) + 0.3 * min(numbers, 2) + 0.1 * min(terms, 4)
    if names < 2:
        evidence = min(evidence, 0.9)  # never on numbers and terms alone
    return evidence


def same_story(a: Signature, b: Signature) -> bool:
    """True when ``a`` and ``b`` report the same event."""
    return score(a, b) >= 1.0


def best_story(sig: Signature, when: datetime, candidates: list[Candidate]) -> int | None:
    """The story a new article joins: the best-scoring candidate within the window, if any scores ≥ 1."""
    best: tuple[float, int] | None = None
    for cand in candidates:
        if abs(cand.when - when) > WINDOW:
            continue
        s = score(sig, cand.signature)
        if s >= 1.0 and (best is None or s > best[0]):
            best = (s, cand.story_id)
    return best[1] if best else None
