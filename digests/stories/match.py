"""Deciding whether two articles report the same event.

Two rules, either suffices, within ``WINDOW`` of each other:

* near-duplicate: MinHash Jaccard of 3-word shingles ≥ ``NEAR_DUPLICATE`` (wire copies, light edits);
* same development: enough shared people/places *and* shared key terms or numbers (reports written
  independently: "Zelensky", "Kyiv", "108" and "drones" in both).
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
    smaller_terms = max(1, min(len(a.terms), len(b.terms)))
    term_share = terms / smaller_terms
    evidence = 0.0
    evidence += min(names, 4) * 0.15
    evidence += min(numbers, 3) * 0.2
    evidence += min(terms, 6) * 0.08 + term_share * 0.3
    if names == 0 or terms < 2:
        evidence = min(evidence, 0.9)  # never on terms alone, nor on names alone
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
