"""Fast regex scanning from candidate positions (private).

``re.finditer`` tries a pattern at every position of the text. For patterns that can only start at
a few kinds of characters (a digit, a currency sign, a capital letter, a word-number) it is much
faster to find those characters with ``str.find`` or a one-character-class regex, then try the
pattern there with ``Pattern.match``. ``finditer_at`` does that and returns exactly the matches
``finditer`` would (tests/text/test_fast_paths.py checks it), provided ``starts`` holds every
position where a match may start and the pattern never matches the empty string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["CASE_FOLD_TRAPS", "find_all", "finditer_at", "word_trie"]

# The only characters that a case-insensitive ``[a-z]`` matches besides A-Z and a-z (İ ı ſ K); a
# text with one of them takes the plain ``finditer`` path wherever candidates come from ``lower()``.
CASE_FOLD_TRAPS = frozenset("\u0130\u0131\u017f\u212a")


def finditer_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, trying only ``starts`` (ascending; duplicates and
    positions inside an earlier match are skipped, as ``finditer`` would)."""
    end = 0
    match = pattern.match
    for s in starts:
        if s < end:
            continue
        m = match(text, s)
        if m is not None:
            yield m
            end = m.end()


def find_all(text: str, needle: str, out: list[int]) -> None:
    """Append every position of ``needle`` in ``text`` (overlapping allowed) to ``out``."""
    find = text.find
    i = find(needle)
    while i >= 0:
        out.append(i)
        i = find(needle, i + 1)


def word_trie(*groups: str, ignore_case: bool = False) -> str:
    """A regex alternation matching exactly the words of ``groups`` ("said|says|went on" strings;
    an optional plural ``s?``, as in "calls? for" or "signs?", is spelled out), factored as a trie.
    With ``ignore_case`` (for an ``re.IGNORECASE`` pattern) the words are lower-cased first.

    Python's ``re`` tries the branches of an alternation one by one at every position it scans: a
    list of 150 cue words costs 150 tries a position, the trie a handful (8x faster on news text).
    Where a word is a prefix of another, the shorter one is tried first. That keeps the matches of a
    pattern that requires a non-word character (or the end) after the alternation; when the longer
    word goes on with a non-word character ("calls" / "calls for") the shorter must also come first
    in ``groups``, as ``re`` picks the first alternative that leads to a match: otherwise this
    raises ``ValueError``.
    """
    words: list[str] = []
    for group in groups:
        for word in group.split("|"):
            word = word.lower() if ignore_case else word
            if "s?" in word:
                words.extend((word.replace("s?", ""), word.replace("s?", "s")))
            elif word:
                words.append(word)
    words = list(dict.fromkeys(words))
    for i, longer in enumerate(words):
        for shorter in words[i + 1 :]:
            if longer.startswith(shorter) and not longer[len(shorter)].isalnum():
                raise ValueError(f"{longer!r} comes before {shorter!r}")
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in node.items() if ch]
        if "" in node:
            return "(?:|" + "|".join(branches) + ")" if branches else ""
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return "(?:" + emit(root) + ")"


def ending_words(*groups: str) -> tuple[str, ...]:
    """The lower-cased words of ``groups`` (as for ``word_trie``), for ``may_end_with``."""
    words: list[str] = []
    for group in groups:
        for word in group.lower().split("|"):
            if "s?" in word:
                words.extend((word.replace("s?", ""), word.replace("s?", "s")))
            elif word:
                words.append(word)
    return tuple(dict.fromkeys(words))


def may_end_with(s: str, endings: tuple[str, ...], punctuation: str = "") -> bool:
    """Can ``s`` end with one of ``endings`` (lower case), then whitespace, at most one character of
    ``punctuation`` and whitespace?

    A quick necessary condition for a case-insensitive pattern anchored at the end (``...\\s*$``,
    ``...\\s*,?\\s*$``) whose matches end with one of ``endings``: when it is False, the pattern's
    ``search`` (which would try every position of ``s``) cannot match.
    """
    core = s.rstrip()
    if punctuation and core[-1:] in punctuation:
        core = core[:-1].rstrip()
    if not core.isascii() and any(c in core for c in CASE_FOLD_TRAPS):
        return True  # lower() does not fold these as IGNORECASE does: let the pattern decide
    return core.lower().endswith(endings)
