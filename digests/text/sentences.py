"""Sentence splitting for English news text.

A rule-based splitter that returns character spans, so that callers can keep exact offsets into
the article. It handles abbreviations and titles (``U.S.``, ``Mr.``, ``Gen.``, ``Jan.``), initials
(``J. K. Rowling``), decimals and money (``$11.1bn``), ellipses, closing punctuation inside
quotation marks (``...,” he said.`` / ``“Stop.” She left.``) and paragraph breaks: every paragraph
or heading line is its own sentence unless the line is a soft wrap (ends mid-sentence and the next
line starts in lower case).
"""

from __future__ import annotations

import functools
import re

from digests.text._tokens import wordset

__all__ = ["clear_cache", "sentences", "split_sentences"]

# Titles before a name: a period after them never ends a sentence.
_TITLES = wordset(
    """mr mrs ms dr gen sen rep gov lt col capt sgt prof rev st mt ft adm maj cmdr supt insp det
    pres hon rt messrs mmes mme mlle sr jr brig cpl pvt gens sens reps atty supt msgr fr"""
)
# Abbreviations that may also end a sentence: break only when a typical sentence opener follows.
_AMBIGUOUS = wordset(
    """inc corp ltd co bros etc vs jan feb mar apr jun jul aug sep sept oct nov dec no nos vol
    fig approx dept est univ assn ave blvd rd"""
)
_MONTHS = wordset("jan feb mar apr jun jul aug sep sept oct nov dec")
# Words that typically open a sentence; after an ambiguous abbreviation they signal a break.
_OPENERS = wordset(
    """the a an he she it they we i you this that these those but and or so yet however in on at
    as if when while after before his her its their our my there here what why how who where
    some many most one two three four five six seven eight nine ten mr mrs ms dr now then
    also still both each every all no not nor for from to with by since until meanwhile
    despite although though because instead earlier later last next according officials police
    shares analysts critics"""
)

_CLOSERS = "\"'”’»)]}"
# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
# (The lookahead in front lets the regex engine skip ahead to the next mark: same matches, faster.)
_CANDIDATE = re.compile(r"(?=[.!?…])(?:[.!?]+|…)[\"'”’»)\]}]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’-]*)$")
_NEXT_TOKEN = re.compile(r"\s*([\"'“‘«(\[]*)(\S*)")
_LINE = re.compile(r"[^\n]+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of ``text``, whitespace-trimmed, in order."""
    return list(_split(text))


@functools.lru_cache(maxsize=16)
def _split(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _blocks(text):
        _split_block(text, block_start, block_end, spans)
    return tuple(spans)


def clear_cache() -> None:
    """Forget the spans of recently split texts (kept so that one analysis splits its text once)."""
    _split.cache_clear()


def sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` as strings (exact substrings, whitespace-trimmed)."""
    return [text[s:e] for s, e in split_sentences(text)]


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph blocks: lines, joined when a line is only a soft wrap of the sentence."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    blocks: list[tuple[int, int]] = []
    for start, end in lines:
        if blocks:
            prev_start, prev_end = blocks[-1]
            gap = text[prev_end:start]
            prev = text[prev_start:prev_end].rstrip()
            nxt = text[start:end].lstrip()
            if gap.count("\n") == 1 and prev and (prev[-1].islower() or prev[-1] in ",;") and nxt[:1].islower():
                blocks[-1] = (prev_start, end)
                continue
        blocks.append((start, end))
    return blocks


def _split_block(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    block = text[start:end]
    sent_start = 0
    last = len(block.rstrip())
    for m in _CANDIDATE.finditer(block):
        cut = m.end()
        if cut >= last:
            break
        if _is_boundary(block, m.start(), m.group(), cut):
            _emit(text, start + sent_start, start + cut, out)
            sent_start = cut
    _emit(text, start + sent_start, end, out)


def _emit(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end))


_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.'’-"


def _word_before(block: str, punct_at: int) -> str | None:
    """The word right before ``punct_at`` (within 40 characters), as
    ``_WORD_BEFORE.search(block, punct_at - 40, punct_at)`` finds it, with two ``str`` strips instead
    of a regex tried at each of the 40 positions."""
    window = block[max(0, punct_at - 40) : punct_at]
    if window.endswith("\n"):  # ``$`` also matches before a final newline: the regex knows how
        wm = _WORD_BEFORE.search(block, max(0, punct_at - 40), punct_at)
        return None if wm is None else wm.group(1)
    word = window[len(window.rstrip(_WORD_CHARS)) :].lstrip(".'’-")
    return word or None


def _is_boundary(block: str, punct_at: int, mark: str, cut: int) -> bool:
    nm = _NEXT_TOKEN.match(block, cut)
    opener, word = (nm.group(1), nm.group(2)) if nm else ("", "")
    if not word and not opener:
        return True
    first = (word or " ")[0]
    if first.islower() and not opener:
        return False
    if first in ",;:%" or (first.islower() and opener):
        return False
    if not mark.startswith(".") or mark.startswith("..") or mark.startswith(".…"):
        # "?", "!" and ellipses end a sentence when a capital, digit or opening mark follows.
        return True
    if mark.rstrip(_CLOSERS) != "." or (len(mark) > 1 and mark[1] not in _CLOSERS):
        return True
    before = _word_before(block, punct_at)
    if before is None:
        return True
    key = before.lower().rstrip(".")
    clean_next = word.strip("\"'“”‘’.,;:()").lower()
    if len(mark) > 1:
        # The period sits inside closing quotes/brackets: an abbreviation cannot be at stake.
        return True
    if key in _TITLES and not opener:
        return False
    if key in _MONTHS and first.isdigit():
        return False
    if key in ("no", "nos", "vol", "fig") and first.isdigit():
        return False
    is_initial = len(before) == 1 and before.isupper()
    is_dotted = "." in before  # U.S., a.m., e.g.
    if key in _AMBIGUOUS or is_initial or is_dotted:
        return bool(opener) or clean_next in _OPENERS
    return True
