"""Key figures: numbers with what they count, found in the sentence they are in.

Finds money (``$11.1bn``, ``£600m``), percentages (``2%``, ``3.5 per cent``), counts with their
noun (``108 Iranian-made Shahed drones``, ``93 of the drones``, ``3 million people``) and measure
compounds (``30-day ceasefire``, ``two-hour conversation``), with spelled-out numbers. Years, dates,
times, ages, scores and ordinals are skipped, and so are numbers that count nothing the figure
states: bare ones, ``93 of them`` (a pronoun), ``13 Abase Hussen`` (a proper name is no unit).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from digests.models import Figure
from digests.text._scan import CASE_FOLD_TRAPS, find_all, finditer_at
from digests.text._tokens import wordset
from digests.text.sentences import split_sentences

__all__ = ["extract_figures"]

_WORD_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "hundreds": 100,
    "dozens": 12,
    "thousands": 1000,
}
_MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "hundred": 100,
}
_CURRENCIES = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_MULT = r"thousand|million|billion|trillion|bn|mn|tn|m|k"
_MONEY = re.compile(rf"(?<![\w$£€¥])(?:US|A|C|HK)?(?P<cur>[$£€¥])\s?(?P<num>{_NUM})(?:\s?(?P<mult>{_MULT})\b)?")
_PERCENT = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s?(?:%|per\s?cent\b|percent\b)")
_COUNT = re.compile(
    rf"(?<![\w.,:/$£€¥-])(?P<num>{_NUM}|(?i:{_WORDNUM})(?:-(?i:one|two|three|four|five|six|seven|"
    rf"eight|nine))?)(?![\w,]|\.\d)(?:\s(?P<mult>million|billion|thousand|trillion|hundred)\b)?"
    rf"(?:-(?P<hy>[a-z]+)(?:-(?P<hy2>[a-z]+))?)?"
)
_NP_WORD = re.compile(r" ([A-Za-z][\w’'-]*)")
_STOP = wordset(
    """a an the of in on at to for from by with and or but as than that this these those which who
    whom whose was were is are be been being has have had will would could should may might can
    do does did not no nor so if when while after before since until about over under into onto
    during against between among through per each every it its he she they them his her their
    our we you i said says told more less most least some all any both also only just even still
    last next ago earlier later year years according up down out off around across near"""
)
_HEADS = wordset(
    """people children men women police staff personnel deer sheep aircraft fish
    ceasefire"""
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s$", re.IGNORECASE)
_DATE_AFTER = re.compile(
    rf"^(?:st|nd|rd|th)\b|^\s(?:{_MONTHS})\b|^(?::\d|\s?(?:a\.m\.|p\.m\.|am\b|pm\b|gmt|bst|"
    r"et\b|o['’]clock))|^-\d|^\s?(?:-|–|to)\s?\d",
    re.IGNORECASE,
)


# Fast scanning (see ``_scan``): every match of _MONEY starts at most two characters before a
# currency sign ("US$", "A$", "$"); every match of _PERCENT and of a digit-led _COUNT starts a run of
# digits; a word-led _COUNT starts where the lower-cased text starts a word-number. Trying the
# patterns only there, instead of ``finditer`` at every character, saves most of the scanning time.
_CURRENCY_SIGN = re.compile(r"[$£€¥]")
_DIGIT_RUN_START = re.compile(r"\d(?<!\d\d)")
_PERCENT_WORDS = ("%", "per")
# Prefixes that every word of _WORD_NUMBERS starts with (lower case), for ``str.find``.
_WORDNUM_PREFIXES = (
    "tw",
    "three",
    "thirt",
    "thousands",
    "four",
    "forty",
    "five",
    "fift",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "hundred",
    "dozen",
)
assert all(any(w.startswith(p) for p in _WORDNUM_PREFIXES) for w in _WORD_NUMBERS)


def _digit_starts(text: str) -> list[int]:
    """Where the runs of digits (``\\d``) of ``text`` start, ascending."""
    if not text.isascii():  # \d also matches other scripts' digits
        return [m.start() for m in _DIGIT_RUN_START.finditer(text)]
    found: list[int] = []
    for digit in "0123456789":  # ten ``str.find`` loops beat one regex pass over the text
        find_all(text, digit, found)
    at = set(found)
    return sorted(p for p in at if p - 1 not in at)


def _money(text: str) -> Iterator[re.Match[str]]:
    starts: list[int] = []
    for m in _CURRENCY_SIGN.finditer(text):
        p = m.start()
        starts.extend(range(max(0, p - 2), p + 1))
    return finditer_at(_MONEY, text, sorted(set(starts)))


def _percents(text: str, digit_starts: list[int]) -> Iterator[re.Match[str]]:
    if not any(w in text for w in _PERCENT_WORDS):
        return iter(())
    return finditer_at(_PERCENT, text, digit_starts)


def _count_matches(text: str, digit_starts: list[int]) -> Iterator[re.Match[str]]:
    if not text.isascii() and any(c in text for c in CASE_FOLD_TRAPS):
        return _COUNT.finditer(text)  # a character that matches a letter only case-insensitively
    low = text.lower()  # same length as text: U+0130, the one exception, is a trap above
    starts = list(digit_starts)
    for prefix in _WORDNUM_PREFIXES:
        find_all(low, prefix, starts)
    starts.sort()
    return finditer_at(_COUNT, text, starts)


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    value: float
    unit: str | None
    weight: float


def _number(raw: str) -> float:
    low = raw.lower()
    if low in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[low])
    if "-" in low:
        tens, _, ones = low.partition("-")
        return float(_WORD_NUMBERS.get(tens, 0) + _WORD_NUMBERS.get(ones, 0) or 0)
    return float(raw.replace(",", ""))


def _noun_phrase(text: str, pos: int, limit: int) -> tuple[int, str | None]:
    """Extend a count over the noun it counts: (end, head noun or None).

    The head is a common noun ("drones", "people") or a plural group name ("Democrats"): capitalised
    words may modify it ("108 Iranian-made Shahed drones") but a proper name is not what a number
    counts ("13 Abase Hussen", "in 2016 Hillary Clinton"), so a phrase ending in one is cut back to
    its last common noun, or counts nothing.
    """
    end, head = pos, None
    common_end, common_head = pos, None
    taken = 0
    while taken < 4:
        m = _NP_WORD.match(text, end, limit)
        if not m:
            break
        word = m.group(1)
        low = word.lower()
        if low in _STOP:
            break
        if word[0].islower() and "-" not in low and (low.endswith("ed") or (low.endswith("ing") and len(low) > 5)):
            break
        end, head = m.end(), low.strip("’'")
        taken += 1
        plural_name = (
            word.endswith("s")
            and not word.endswith(("’s", "'s", "ss"))
            and len(word) > 3
            and not text[end + 1 : end + 2].isupper()
        )
        if word[0].islower() or plural_name:  # "drones", "Democrats" (not "Tomas |Brandt")
            common_end, common_head = end, head
        if low in _HEADS or (low.endswith("s") and not low.endswith("ss") and len(low) > 3):
            break
        if low.endswith("ly"):
            return pos, None
    return common_end, common_head


def _counts(text: str, taken: list[tuple[int, int]], hits: list[_Hit], digit_starts: list[int]) -> None:
    for m in _count_matches(text, digit_starts):
        start, end = m.start(), m.end()
        if any(s < end and start < e for s, e in taken):
            continue
        raw = m.group("num")
        value = _number(raw)
        is_word = not raw[0].isdigit()
        if _DATE_BEFORE.search(text[max(0, start - 12) : start]):
            continue
        if _DATE_AFTER.search(text[m.end("num") : m.end("num") + 12]) and not m.group("hy"):
            continue
        if not is_word and "," not in raw and "." not in raw and 1800 <= value <= 2100:
            continue
        hy = m.group("hy")
        if (hy in ("year", "years") and m.group("hy2") == "old") or hy in ("st", "nd", "rd", "th"):
            continue
        if m.group("mult"):
            value *= _MULTIPLIERS[m.group("mult").lower()]
        if value < 2 and not m.group("mult"):
            continue
        limit = text.find("\n", end)
        limit = len(text) if limit < 0 else limit
        if hy:
            np_end, head = _noun_phrase(text, end, limit)
            if head and head.endswith("s") and len(head) > 3:
                np_end, head = end, None
            hits.append(_Hit(start, np_end, value, hy, 2.0))
            continue
        # "93 of the drones" counts drones; "93 of them" counts nothing the figure says
        of = re.match(r" of (?:the|its|their|his|her) [a-z-]+\b", text[end:limit])
        if of:
            hits.append(_Hit(start, end + of.end(), value, None, 1.8))
            continue
        np_end, head = _noun_phrase(text, end, limit)
        if head is None:
            if m.group("mult"):
                hits.append(_Hit(start, end, value, None, 1.0))
            continue
        hits.append(_Hit(start, np_end, value, head, 2.0 if not is_word else 1.5))


def extract_figures(text: str, limit: int | None = None) -> list[Figure]:
    """Key figures of ``text``, in text order, without duplicates.

    ``limit`` keeps only the most important ones (money and percentages, then counts with their
    noun, earlier sentences first). ``Figure.text == text[start:end]`` and lies inside
    ``Figure.sentence``.
    """
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    digit_starts = _digit_starts(text)
    for m in _money(text):
        value = _number(m.group("num"))
        if m.group("mult"):
            value *= _MULTIPLIERS[m.group("mult").lower()]
        hits.append(_Hit(m.start("cur"), m.end(), value, _CURRENCIES[m.group("cur")], 3.0))
        taken.append((m.start(), m.end()))
    for m in _percents(text, digit_starts):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        hits.append(_Hit(m.start(), m.end(), _number(m.group("num")), "%", 2.5))
        taken.append((m.start(), m.end()))
    _counts(text, taken, hits, digit_starts)
    spans = split_sentences(text)
    starts = [s for s, _ in spans]
    seen: set[str] = set()
    ranked: list[tuple[float, Figure]] = []
    for h in sorted(hits, key=lambda h: h.start):
        fig_text = text[h.start : h.end]
        key = fig_text.lower()
        if key in seen:
            continue
        i = bisect.bisect_right(starts, h.start) - 1
        if i < 0 or spans[i][1] < h.end:
            continue
        seen.add(key)
        s_start, s_end = spans[i]
        figure = Figure(fig_text, h.value, text[s_start:s_end], h.start, h.end, h.unit)
        ranked.append((h.weight / (1.0 + 0.15 * i), figure))
    if limit is not None:
        keep = {id(f) for _, f in sorted(ranked, key=lambda r: -r[0])[: max(limit, 0)]}
        ranked = [r for r in ranked if id(r[1]) in keep]
    return [f for _, f in ranked]
