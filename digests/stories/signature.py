"""What an article is about, compactly: a MinHash of its word shingles (datasketch), and the
people, places, numbers and key terms of its title and lead.

The MinHash finds wire copies and light rewrites; the named things find differently worded reports
of the same development. A ``Signature`` is stored with the article as JSON.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from datasketch import MinHash

__all__ = ["NUM_PERM", "Signature", "signature"]

NUM_PERM = 64
SHINGLE = 3
_LEAD_CHARS = 1200


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"\w+", re.UNICODE)
_NAME = re.compile(r"\b(?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,6})(?:\s+(?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,6}))*")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_STOP = _words(
    """a about after again against all also an and any are as at be because been before being between both but by
    can could did do does during each for from further had has have having he her here hers him his how i if in into
    is it its just me more most my no nor not now of off on once only or other our out over own same she should so
    some such than that the their them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your said says say told new after over amid
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december news report reports according year years week weeks day days people"""
)
_NAME_STOP = _words(
    "the a an in on at but and as it he she they we this that his her their after before when while for from "
    "with by of to its however meanwhile"
)


@dataclass(frozen=True, slots=True)
class Signature:
    minhash: tuple[int, ...]
    names: frozenset[str]
    numbers: frozenset[str]
    terms: frozenset[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "mh": list(self.minhash),
            "names": sorted(self.names),
            "nums": sorted(self.numbers),
            "terms": sorted(self.terms),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signature:
        return cls(
            tuple(int(v) for v in data.get("mh", [])),
            frozenset(data.get("names", [])),
            frozenset(data.get("nums", [])),
            frozenset(data.get("terms", [])),
        )

    def jaccard(self, other: Signature) -> float:
        """MinHash estimate of the Jaccard similarity of the two articles' word shingles."""
        if not self.minhash or len(self.minhash) != len(other.minhash):
            return 0.0
        return sum(a == b for a, b in zip(self.minhash, other.minhash, strict=True)) / len(self.minhash)


def _names(text: str) -> set[str]:
    found: set[str] = set()
    for match in _NAME.finditer(text):
        for word in match.group().split():
            key = word.strip("'’-").lower()
            if key.endswith(("'s", "’s")):
                key = key[:-2]
            if len(key) > 1 and key not in _NAME_STOP and key not in _STOP:
                found.add(key)
    return found


def _numbers(text: str) -> set[str]:
    out: set[str] = set()
    for match in _NUMBER.finditer(text):
        value = match.group().replace(",", "")
        if len(value.split(".")[0]) < 2 and "." not in value:
            continue  # single digits are everywhere
        if len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2100:
            continue  # years
        out.add(value)
    return out


def _terms(title: str, lead: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(lead) if len(w) > 3 and not w.isdigit()]
    counts = Counter(w for w in words if w not in _STOP)
    top = {w for w, n in counts.most_common(12) if n > 1}
    heading = {w.lower() for w in _WORD.findall(title) if len(w) > 3 and w.lower() not in _STOP and not w.isdigit()}
    return {_stem(w) for w in top | heading}


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def signature(title: str, text: str) -> Signature:
    """The signature of an article (CPU work of about a millisecond per thousand words)."""
    tokens = [t.lower() for t in _WORD.findall(text)][:3000]
    shingles = {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(max(1, len(tokens) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=7)
    mh.update_batch(list(shingles))
    lead = f"{title}\n{text[:_LEAD_CHARS]}"
    return Signature(
        tuple(int(v) for v in mh.hashvalues),
        frozenset(_names(lead)),
        frozenset(_numbers(lead)),
        frozenset(_terms(title, lead)),
    )
