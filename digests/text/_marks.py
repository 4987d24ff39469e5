"""Finding quotation spans: pairing quotation marks paragraph by paragraph (private).

Handles curly (“…”) and straight ("…") double marks, German („…“) and guillemet («…», »…«) marks,
NYT-style doubled apostrophes (''…''),
British single marks (‘…’, and straight '…' with care for apostrophes), nested quotations (kept
inside the outer one), quotations left open at a paragraph end (news style for a quotation that
runs on) and stray or missing marks: every paragraph starts from a clean state, and an opening
curly mark met while a quotation of the same kind is open closes the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quote_spans", "paragraphs"]

# Apostrophes inside words (don’t, it's, ’90s, o‘clock) are no quotation marks: ``_direction`` says
# "none" for ’ before a letter or digit, ‘ after one, and ' between two, so the pattern leaves them
# out ([^\W_] is a letter or digit, as ``str.isalnum``) rather than returning them one by one.
# The lookahead in front lets the regex engine skip to the next mark-like character.
_MARK = re.compile(
    r"(?=[`'‘’“”\"„«»])(?:''|``|‘‘|’’|““|””|[“”\"„«»]|’(?![^\W_])|(?<![^\W_])‘|(?<![^\W_])'|'(?![^\W_]))"
)
_PARA = re.compile(r"[^\n]+")
_MAX_UNCLOSED = 1500


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation: ``start``/``end`` inside the marks; ``open_at``/``close_at`` the marks."""

    start: int
    end: int
    open_at: int
    close_at: int  # end of the closing mark, or ``end`` when the quotation is left open
    paragraph: int
    closed: bool


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text`` (news paragraphs)."""
    return [(m.start(), m.end()) for m in _PARA.finditer(text) if m.group().strip()]


def _kind(mark: str) -> str:
    if mark in ("«", "»"):
        return "g"  # guillemets: «…» (French) or »…« (German)
    return "s" if mark in ("‘", "’", "'") else "d"


def _direction(text: str, pos: int, mark: str, para_start: int, para_end: int) -> str:
    """'open', 'close', 'either' or 'none' (an apostrophe) for the mark at ``pos``."""
    before = text[pos - 1] if pos > para_start else " "
    after_at = pos + len(mark)
    after = text[after_at] if after_at < para_end else " "
    if mark in ("“", "``", "‘‘", "““", "„"):
        return "open"
    if mark in ("«", "»"):
        return "either"
    if mark in ("”", "’’", "””"):
        if pos == para_start and after.isalnum():
            return "open"  # a closing glyph typed at the start of a paragraph
        if (before.isspace() or before in "([—–") and (after.isalnum() or after in "…."):
            return "either"  # a closing glyph typed to open: ' ”get close to ...”'
        return "close"
    if mark == "‘":
        return "open" if not before.isalnum() else "none"
    if mark == "’":
        if after.isalnum() or (before.isspace() and after.isalnum()):
            return "none"  # don’t, ’90s
        return "close" if not before.isspace() else "none"
    if mark == "'":
        if before.isalnum() and after.isalnum():
            return "none"
        if (before.isspace() or before in '([{—–-“"') and (after.isalnum() or after in '‘“"'):
            return "open"
        if not before.isspace() and not after.isalnum():
            return "close"
        return "none"
    # straight double mark or doubled apostrophes
    can_open = (before.isspace() or before in "([{—–-/‘'") and not after.isspace()
    can_close = not before.isspace() and (after.isspace() or not after.isalnum())
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    return "either"


def _possessive(text: str, pos: int, para_end: int) -> bool:
    """Is the closing single mark at ``pos`` a plural possessive (the Clintons’ campaign)?"""
    if pos == 0 or text[pos - 1] not in "sS":
        return False
    rest = text[pos + 1 : min(para_end, pos + 3)]
    return len(rest) == 2 and rest[0] == " " and rest[1].islower()


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All top-level quotations of ``text``, in order."""
    out: list[QuoteSpan] = []
    for index, (p_start, p_end) in enumerate(paragraphs(text)):
        _scan_paragraph(text, index, p_start, p_end, out)
    return out


def _emit(
    text: str,
    out: list[QuoteSpan],
    para: int,
    open_at: int,
    start: int,
    end: int,
    close_at: int,
    closed: bool,
) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(c.isalnum() for c in text[start:end]):
        out.append(QuoteSpan(start, end, open_at, close_at, para, closed))


def _scan_paragraph(
    text: str, para: int, p_start: int, p_end: int, out: list[QuoteSpan], skip: frozenset[int] = frozenset()
) -> None:
    first_out = len(out)
    open_kind: str | None = None
    open_mark = ""
    open_at = content_at = 0
    for m in _MARK.finditer(text, p_start, p_end):
        mark, pos = m.group(), m.start()
        if pos in skip:
            continue
        kind = _kind(mark)
        direction = _direction(text, pos, mark, p_start, p_end)
        if direction == "none":
            continue
        if open_kind is None:
            if direction in ("open", "either") and (kind != "s" or direction == "open"):
                open_kind, open_mark, open_at, content_at = kind, mark, pos, m.end()
            continue
        if open_mark == "„" and mark == "“":
            direction = "close"  # German „…“
        if kind != open_kind:
            continue  # nested quotation or apostrophe inside the open one
        if direction in ("close", "either"):
            if kind == "s" and _possessive(text, pos, p_end):
                continue
            _emit(text, out, para, open_at, content_at, pos, m.end(), True)
            open_kind = None
        elif direction == "open" and mark == open_mark and mark in ("“", "‘", "``"):
            # the same opening glyph again: the first quotation lost its closing mark
            _emit(text, out, para, open_at, content_at, pos, pos, False)
            open_at, content_at = pos, m.end()
    if open_kind is None:
        return
    end = p_end
    if end - content_at > _MAX_UNCLOSED:
        return
    if open_kind == "s":
        lead = text[p_start:open_at].rstrip()
        if open_mark != "‘" or not (lead == "" or lead[-1] in ":,"):
            # a single mark that never closes was an apostrophe ("the late '70s"): while it was
            # open, the double marks after it were taken as nested; read the paragraph again
            # without it
            if len(skip) < 3:
                del out[first_out:]
                _scan_paragraph(text, para, p_start, p_end, out, skip | {open_at})
            return
    _emit(text, out, para, open_at, content_at, end, end, False)
