"""Words in quotation marks that are not quotations: titles, scare quotes, slogans, nicknames (private).

``classify`` looks at the quoted words and the reporter's words right around the marks. Strong
signals hold whatever the attribution ("on ABC’s “This Week”", "a film titled “…”", "“…” hats",
"Dwayne “The Rock” Johnson", a markup attribute ``id="…"``); weak ones (a short lower-case term
with no speech cue, a Title Case phrase) only when no speech cue credits the words to someone.
"""

from __future__ import annotations

import re
from collections.abc import Container

from digests.text._scan import ending_words, may_end_with, word_trie
from digests.text._tokens import wordset

__all__ = ["MARKUP", "classify"]

MARKUP = "markup"  # an attribute value in embedded markup (<tweet id="…">): neither a quote nor other-quoted

_WORK = (
    r"film|movie|films|movies|book|books|novel|memoir|biography|song|songs|album|single|show|shows|series|"
    r"sitcom|programme|program|podcast|play|musical|documentary|episode|article|column|essay|op-ed|"
    r"editorial|poem|opera|painting|exhibition|exhibit|report|study|paper|newsletter|blog|video|ad|advert|"
    r"advertisement|tip sheet|broadcast|segment|speech|game|thriller|comedy|drama|headline|hit|track|"
    r"magazine|newspaper|bestseller|best-seller|anthem|hymn|carol|ballet|sculpture|novella|franchise|"
    r"campaign ad|video game|app"
)
_OUTLETS = (
    "ABC|NBC|CBS|CNN|Fox|Fox News|Fox Business|MSNBC|HBO|PBS|NPR|BBC|ITV|Sky|Sky News|Netflix|"
    "Showtime|Hulu|Politico|POLITICO|C-SPAN|Comedy Central|Sirius XM|SiriusXM|CNBC|Bloomberg|"
    "Channel 4|Radio 4|Radio 5|Times|Post|Globe|Journal|Amazon|Disney|HuffPost|Variety|Esquire|"
    "Vanity Fair|Rolling Stone|Breitbart|Newsweek|Time"
)
# The word lists are alternations searched at every position of the text before a quotation:
# ``word_trie`` factors them (same matches, several times faster).
_TITLE_BEFORE = re.compile(
    rf"(?:\b{word_trie('titled|entitled|headlined|headline|called|named', ignore_case=True)}\s*,?|"
    rf"\b{word_trie(_WORK, ignore_case=True)}(?:,)?|"
    rf"\b{word_trie(_OUTLETS, ignore_case=True)}['’]s?)\s*$",
    re.IGNORECASE,
)
_SHOW_BEFORE_WORDS = (
    "on|appearance on|appeared on|interview with|interview on|told|in|during|read|reading|reads|of|from|"
    "watch|watched|watching|star of|host of|hosts|hosted|co-host of|anchor of|author of|wrote|"
    "published|publishes|starring in|starred in|cast of|the"
)
_SHOW_BEFORE = re.compile(rf"\b{word_trie(_SHOW_BEFORE_WORDS, ignore_case=True)}\s*$", re.IGNORECASE)
# What the matches of the end-anchored patterns end with (before trailing spaces and punctuation):
# ``may_end_with`` rules most texts out before a ``search`` that tries every position.
_TITLE_BEFORE_ENDS = ending_words("titled|entitled|headlined|headline|called|named", _WORK) + tuple(
    outlet + mark for outlet in ending_words(_OUTLETS) for mark in ("'", "’", "'s", "’s")
)
_SHOW_BEFORE_ENDS = ending_words(_SHOW_BEFORE_WORDS)
_TITLE_AFTER = re.compile(
    r"^\s*(?:\(\d{4}\)|,?\s*by\s+(?:[A-Z]|the\s+[A-Z])|\((?:[A-Z][\w.]*\s?)+(?:Press|Books|Publishing|"
    r"Records|Pictures|Films)\))"
)
_SLOGAN_THINGS = (
    r"signs?|shirts?|t-shirts?|tee-shirts?|hats?|caps?|banners?|placards?|posters?|stickers?|bumper stickers?|"
    r"billboards?|slogans?|mottos?|mottoes|hashtags?|chants?|buttons?|badges?|mugs?|flags?|tattoos?"
)
_SLOGAN_VERBS = (
    "read|reads|reading|saying|said|says|proclaiming|declaring|bearing|emblazoned with|with the words|printed with"
)
_SLOGAN_WORDS = (
    "slogan|motto|hashtag|rallying cry|mantra|tagline|catchphrase|battle cry|chants? of|cries of|cry of|campaign slogan"
)
_SLOGAN_BEFORE = re.compile(
    rf"(?:\b{word_trie(_SLOGAN_THINGS, ignore_case=True)}\b[^.!?“”\"\n]{{0,40}}?\b"
    rf"{word_trie(_SLOGAN_VERBS, ignore_case=True)}|\b{word_trie(_SLOGAN_WORDS, ignore_case=True)}|#)\s*[:,]?\s*$",
    re.IGNORECASE,
)
_SLOGAN_BEFORE_ENDS = (*ending_words(_SLOGAN_VERBS, _SLOGAN_WORDS), "#")
_SLOGAN_AFTER = re.compile(rf"^\s*(?:{_SLOGAN_THINGS}|rallying cry|mantra|tagline|catchphrase|battle cry)\b", re.I)
_MOVEMENT_AFTER = re.compile(
    r"^\s*(?:movement|campaign|crowd|rally|rallies|protest|protests|protesters|slogan|brand|message|agenda|"
    r"crusade|coalition|caucus|wing|faction|tour)\b",
    re.IGNORECASE,
)
_NAMED_THING_AFTER = re.compile(
    r"^\s*(?:initiative|act|bill|law|plan|program|programme|project|policy|PAC|Super PAC|fund|deal|doctrine|"
    r"strategy|operation|scheme|report|memo|dossier|summit|conference|festival|award|prize|tour|exhibition|"
    r"show|podcast|series|newsletter|brunch|dinner|gala|event|party|club|group|team|committee|"
    r"referendum|proposal|amendment|rule|task force|hearing)\b",
)
_NICK_BEFORE = re.compile(
    r"\b(?:nicknamed|nickname|nicknames|dubbed|known as|goes by|go by|went by|going by|a\.k\.a\.?|aka|"
    r"moniker|alias|calls? himself|calls? herself|called himself|called herself|self-styled|"
    r"so-called)\s*,?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# A show or a work, whatever cue follows: 'on “This Week,” Sanders questioned ...'
_ON_SHOW = re.compile(
    r"\b(?:on|appearance on|appeared on|interview on|star of|host of|anchor of|author of|starring in|starred in|"
    r"to the tune of)\s*$",
    re.IGNORECASE,
)
# A work of someone's: "DuVernay’s “13th”", "television’s “Scandal,”"
_WORK_OF = re.compile(r"(?:\b[A-Z][\w.-]*|\btelevision|\bTV)[’']s\s*$")
_SO_CALLED = re.compile(r"\b(?:so-|so\s)called\s*$", re.IGNORECASE)
_NAME_WORD_END = re.compile(r"(?<![\w’'.-])[A-Z][a-z][\w’'.-]*\s$")
_NAME_WORD_START = re.compile(r"^\s[A-Z][a-z]")
_WORDS = re.compile(r"[\w’'-]+")
_MINOR = wordset(
    """a an the and or but nor of on in at to for by with from as vs via up out off over into onto
    per is are was be de la le del du des von van"""
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_CLOSERS = "\"'”’)]"


def _ends_sentence(s: str) -> bool:
    """``_SENTENCE_END.search(s)``: a final mark, then only closing marks (before a final newline,
    which ``$`` allows), checked from the end instead of searched from every position."""
    if s.endswith("\n"):
        s = s[:-1]
    return s.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…")


def _title_case(words: list[str]) -> bool:
    """Every word of four letters or more is capitalised, and the first word is."""
    if not words or not words[0][:1].isupper():
        return False
    first = words[0]
    any_major = False
    for w in words:  # one pass that stops at the first lower-case major word (most quotations)
        if w.lower() in _MINOR:
            continue
        any_major = True
        if (len(w) >= 4 or w is first) and not (w[:1].isupper() or w[:1].isdigit()):
            return False
    return any_major


def classify(
    content: str,
    before: str,
    after: str,
    *,
    cued: bool,
    credited: bool | None = None,
    people_words: Container[str] = frozenset(),
) -> str | None:
    """The kind of non-quotation ``content`` is ("title", "scare", "slogan", "nickname", ``MARKUP``),
    or ``None`` when it reads as a quotation.

    ``before``/``after`` are the paragraph's characters just before the opening mark and just after
    the closing one; ``cued`` says whether a speech cue credits the words to someone, ``credited``
    whether anyone at all is named or referred to before them in the sentence (default: ``cued``);
    ``people_words`` holds the first names and surnames of the article's people (lower case).
    """
    if before.endswith("="):
        return MARKUP
    words = _WORDS.findall(content)
    n = len(words)
    if n == 0:
        return None
    stripped = content.rstrip(" ,;:")
    sentence_like = _ends_sentence(stripped) and (n >= 4 or content[:1].isupper())
    opens_sentence = not before.strip() or before.rstrip()[-1] in '.!?:;”"’—–-\x01'
    title_case = _title_case(words)
    tail = before[-60:]
    # Nicknames: between a first name and a surname, after "nicknamed"/"known as", or an epithet
    # built on the name of one of the article's people ("Crooked Hillary", "Little Marco").
    if (
        n <= 4
        and content.rstrip()[-1:] not in ",.!?;:"  # "It is that simple," Dr. Jones added.
        and _NAME_WORD_END.search(tail)
        and _NAME_WORD_START.match(after)
        and content[:1].isupper()
    ):
        return "nickname"
    if n <= 5 and _NICK_BEFORE.search(tail) and (not sentence_like or (n <= 3 and title_case)):
        if _SO_CALLED.search(tail):
            return "title" if title_case and n >= 2 else "scare"
        if content[:1].isupper():
            return "nickname"
    if (
        2 <= n <= 3
        and title_case
        and not sentence_like
        and words[-1].lower().strip("’'") in people_words
        and not cued
        and words[0].lower() not in people_words
    ):
        return "nickname"
    # Slogans: on signs, hats and shirts, in chants and hashtags.
    if (
        n <= 12
        and (
            (may_end_with(tail, _SLOGAN_BEFORE_ENDS, ":,") and _SLOGAN_BEFORE.search(tail))
            # (a sentence ended inside the marks: "We lost." T-shirts appeared ... is no slogan on them)
            or (_SLOGAN_AFTER.match(after) and not (sentence_like and after.lstrip()[:1].isupper()))
        )
    ):
        return "slogan"
    # Titles of works, shows and named things.
    by_line = _TITLE_AFTER.match(after)
    if n <= 16 and by_line and not cued and (content.rstrip().endswith(",") or by_line.group().lstrip()[:2] != "by"):
        return "title"
    if (
        n <= 14
        and may_end_with(tail, _TITLE_BEFORE_ENDS, ",")
        and _TITLE_BEFORE.search(tail)
        and (title_case or not cued)
    ):
        before_word = tail.rstrip().rsplit(None, 1)[-1].lower() if tail.strip() else ""
        if before_word not in ("called", "named") or title_case:
            return "title"
    if (
        n <= 10
        and title_case
        and may_end_with(tail, _SHOW_BEFORE_ENDS)
        and _SHOW_BEFORE.search(tail)
        and not cued
        and not sentence_like
    ):
        return "title"
    if (
        n <= 4
        and (title_case or content[:1].isdigit())
        and (not sentence_like or n <= 3)
        and (_ON_SHOW.search(tail) or (not cued and _WORK_OF.search(tail)))
    ):
        return "title"  # on “This Week,” / DuVernay’s “13th” / to the tune of “Silent Night.”
    if n <= 6 and _NAMED_THING_AFTER.match(after) and (title_case or not cued):
        return "title" if title_case else "scare"
    if n <= 5 and _MOVEMENT_AFTER.match(after) and not cued and not sentence_like:
        return "slogan" if title_case or content.rstrip().endswith("!") else "scare"
    if cued:
        return None
    # Weak signals, only for words nobody is credited with.
    if n <= 10 and title_case and not sentence_like and n >= 2:
        return "title"
    if credited is None:
        credited = cued
    if (
        n <= 3
        and not credited
        and not sentence_like
        and not opens_sentence
        and not content.rstrip().endswith(("!", "?"))
    ):
        return "scare"
    return None
