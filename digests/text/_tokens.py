"""Shared word-level helpers: tokenising, stop words and a light stemmer (private)."""

from __future__ import annotations

import functools
import re
from operator import itemgetter


def wordset(words: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words of ``words``."""
    return frozenset(words.split())


WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_LOWER_WORD = re.compile(r"([a-z0-9]+)(?:['’][a-z]+)?")

STOPWORDS = wordset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves said says say told
    one two new also year years last first mr mrs ms us s t would could may might must shall can
    will just like get got make made many much even well back still way since another around
    however"""
)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A very small suffix stripper, enough to match plurals and simple verb forms."""
    w = word.lower()
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


_STEMS: dict[str, str] = {}


def lower_words(lowered: str) -> list[str]:
    """The words of an already lower-cased text, as ``content_words`` sees them (before stemming)."""
    return _LOWER_WORD.findall(lowered)


def stems_of(words: list[str]) -> list[str]:
    """Stems of ``words`` (from ``lower_words``) without stop words, through the shared cache.

    When every word is cached (nearly always), one ``itemgetter`` call looks them all up and
    ``filter`` drops the stop words, instead of a Python loop over the words.
    """
    stems = _STEMS
    try:
        if len(words) > 1:
            return list(filter(None, itemgetter(*words)(stems)))
        return [s for s in map(stems.__getitem__, words) if s]
    except KeyError:
        pass
    out = []
    for w in words:
        s = stems.get(w)
        if s is None:
            s = "" if w in STOPWORDS or len(w) < 2 else stem(w)
            if len(stems) < 200_000:
                stems[w] = s
        if s:
            out.append(s)
    return out


def content_words(text: str) -> list[str]:
    """Stemmed, lower-cased words of ``text`` without stop words."""
    return stems_of(_LOWER_WORD.findall(text.lower()))


def jaccard(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two sets (0 when both are empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
