"""What an article is about, compactly: a MinHash of its word shingles (datasketch) and the feature
counts of its title and lead (``digests.stories.evidence.features``), with the span of days it may
have been published in. A ``Signature`` is stored with the article as JSON.

The MinHash finds wire copies and light rewrites; the features, weighed by rarity, find differently
worded reports of the same development.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from datasketch import MinHash

from digests.stories.evidence import Span, features

__all__ = ["NUM_PERM", "VERSION", "Signature", "signature"]

NUM_PERM = 64
SHINGLE = 3
VERSION = 2  # version 1 (names/numbers/terms) is recomputed from the text when read

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Signature:
    minhash: tuple[int, ...]
    features: dict[str, int] = field(default_factory=dict)
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "mh": list(self.minhash),
            "f": self.features,
            "span": list(self.span) if self.span else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signature | None:
        """The stored signature, or None when it is of an older version (recompute it)."""
        if data.get("v") != VERSION:
            return None
        span = data.get("span")
        return cls(
            tuple(int(v) for v in data.get("mh", [])),
            {str(k): int(v) for k, v in (data.get("f") or {}).items()},
            (int(span[0]), int(span[1])) if span else None,
        )

    def jaccard(self, other: Signature) -> float:
        """MinHash estimate of the Jaccard similarity of the two articles' word shingles."""
        if not self.minhash or len(self.minhash) != len(other.minhash):
            return 0.0
        return sum(a == b for a, b in zip(self.minhash, other.minhash, strict=True)) / len(self.minhash)


def signature(title: str, text: str, span: Span | None = None) -> Signature:
    """The signature of an article (CPU work of about a millisecond per thousand words)."""
    tokens = [t.lower() for t in _WORD.findall(text)][:3000]
    shingles = {" ".join(tokens[i : i + SHINGLE]).encode() for i in range(max(1, len(tokens) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=7)
    mh.update_batch(list(shingles))
    return Signature(tuple(int(v) for v in mh.hashvalues), features(title, text), span)
