"""Fitting escaped text into a platform's length limits: shared by the Slack and Discord renderers.

Sizes are counted in UTF-16 code units, never less than what either platform counts. Text is cut as
raw text and escaped afterwards, so a cut never falls inside an escape sequence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["size", "split_raw", "truncate"]

_TOKEN = re.compile(r"\s*\S+\s*|\s+")


def size(text: str) -> int:
    """Length in UTF-16 code units: never less than Python's ``len``."""
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int, esc: Callable[[str], str]) -> str:
    """Escape ``text``; if longer than ``limit``, cut the raw text so that the result ends in "…"."""
    if size(esc(text)) <= limit:
        return esc(text)
    lo, hi = 0, len(text)
    while lo < hi:  # longest raw prefix whose escaped form plus "…" fits
        mid = (lo + hi + 1) // 2
        if size(esc(text[:mid].rstrip()) + "…") <= limit:
            lo = mid
        else:
            hi = mid - 1
    return esc(text[:lo].rstrip()) + "…"


def split_raw(text: str, limit: int, esc: Callable[[str], str], extra: Callable[[str], int] = lambda _: 0) -> list[str]:
    """Cut raw ``text`` into pieces whose escaped size is at most ``limit``: at word boundaries,
    and inside a word only when the word alone is too long. ``extra`` reserves room per character
    for what escaping may add later (Discord: a zero-width space after "@")."""
    pieces: list[str] = []
    current, used = "", 0
    for token in _TOKEN.findall(text):
        token_size = size(esc(token))
        if used + token_size > limit and current.strip():
            pieces.append(current)
            current, used = "", 0
        if token_size > limit:  # one enormous word: cut it by characters
            for char in token:
                char_size = size(esc(char)) + extra(char)
                if used + char_size > limit:
                    pieces.append(current)
                    current, used = "", 0
                current += char
                used += char_size
        else:
            current += token
            used += token_size
    pieces.append(current)
    return [p.strip() for p in pieces if p.strip()] or [""]
