"""A person's role as the article states it next to their name (private).

Before the name: the title words of the name run and the words in front of it ("Kremlin spokesman
Dmitry Peskov", "Ukrainian President Volodymyr Zelensky", "Zelensky’s advisor Mykhailo Podolyak");
after it, an appositive ("William Taylor, former U.S. Ambassador to Ukraine"). A role must contain a
role noun (president, spokesman, advisor, ambassador, ...), so "Finnish" alone is not one.
"""

from __future__ import annotations

import functools
import re

from digests.text._names import NON_NAME_STARTERS, TITLES
from digests.text._tokens import STOPWORDS, wordset

__all__ = ["role_after", "role_before", "role_in_front"]

ROLE_NOUNS = TITLES | wordset(
    """aide aides adviser advisor official officials pollster strategist analyst economist lawyer
    attorney professor researcher scientist author historian journalist reporter editor
    columnist host anchor commentator activist organizer organiser member leader lawmaker
    legislator diplomat envoy negotiator delegate nominee candidate founder co-founder owner
    executive banker investor director manager coach player chief head spokesman spokeswoman
    spokesperson secretary minister president chairman chairwoman chair governor mayor senator
    congressman congresswoman representative ambassador general commander officer judge
    prosecutor investigator expert consultant fellow scholar lecturer teacher doctor surgeon
    physician nurse pastor priest rabbi imam bishop monarch ruler dictator premier chancellor
    councillor councilor deputy chief-of-staff staffer operative donor fundraiser surrogate
    campaigner volunteer supporter critic opponent rival challenger incumbent president-elect
    vice-president boss star actor actress singer rapper comedian athlete striker midfielder
    defender goalkeeper captain manager referee CEO cfo coo cto founder entrepreneur billionaire
    businessman businesswoman mogul tycoon magnate partner principal dean provost student
    veteran soldier marine pilot commissioner inspector sheriff chief constable superintendent
    detective trooper agent spy negotiator mediator observer monitor representative speaker
    whip treasurer comptroller auditor regulator watchdog lobbyist adviser advisers"""
)
_MODIFIERS = wordset(
    """former longtime long-time then acting interim deputy senior top chief vice assistant
    associate press foreign defence defense security national campaign communications energy
    finance health interior justice economy economic state general retired veteran incoming
    outgoing current new junior principal executive managing lead political military
    intelligence trade labour labor home treasury education transport environment
    agriculture culture digital science research legal policy public regional local district
    county city federal presidential prime-ministerial white house team party council
    ex-president of for"""
)
_WORD = re.compile(r"\S+")
_CLEAN = re.compile(r"^[“”\"‘’'(\[]+|[,;:)\]“”\"]+$")
_APPOSITIVE_STOP = re.compile(
    r"[,;:()\x01—–]|\s(?:said|says|say|told|tells|added|adds|wrote|writes|warned|warns|noted|"
    r"who|which|that|when|where|while|because|and then|but)\b"
)
_ABBREV_END = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Inc|Corp|Ltd|Co|Jr|Sr|St)\.$")
_AGE = re.compile(r"^\d{1,3}$")


# Module-level ``re.sub(pattern, ...)`` looks the pattern up in re's cache at every call: the
# patterns used per word or per name are compiled once here instead.
_POSSESSIVE = re.compile(r"[’']s$")
_ARTICLE = re.compile(r"^(?:a|an|the|his|her|their|its)\s+", re.IGNORECASE)
_HONORIFIC = re.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Miss|Mx|Messrs)\.?$")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_OF_FOR = re.compile(r"^(?:(?:of|for)\s+)+")
_AND_OR_WITH = re.compile(r"\s(?:and|or|with)\s")


@functools.lru_cache(maxsize=65536)
def _is_role_noun(word: str) -> bool:
    w = _POSSESSIVE.sub("", word.lower().strip(".,"))
    return w in ROLE_NOUNS or w.rstrip("s") in ROLE_NOUNS


def _tidy(role: str) -> str | None:
    role = role.strip()
    role = _ARTICLE.sub("", role)
    role = _HONORIFIC.sub("", role).strip()  # honorifics are no role
    if role.endswith(".") and not _ABBREV_END.search(role):
        role = role[:-1]
    role = role.strip(" ,;:")
    if not role or not any(_is_role_noun(w) for w in role.split()):
        return None
    return role


def role_before(text: str, sent_start: int, run_start: int, name_start: int) -> str | None:
    """The role in front of a name at ``name_start``: title words of its run (from ``run_start``)
    and the capitalised or role words just before the run, back to the sentence start."""
    head = text[sent_start:run_start]
    words = [(m.start(), m.group()) for m in _WORD.finditer(head)]
    begin = run_start
    for at, raw in reversed(words):
        if raw[-1:] in ",;:.!?)\x01" and not _INITIALS.fullmatch(raw):
            break
        word = _CLEAN.sub("", raw)
        if not word:
            break
        low = word.lower()
        bare = _POSSESSIVE.sub("", low)
        if word[:1].isupper():
            if bare in NON_NAME_STARTERS and bare not in ("u.s.", "us"):
                break
        elif not (_is_role_noun(word) or bare in _MODIFIERS) and not (
            # a noun in front of a role noun: "union leader", "party spokesman"
            begin < run_start
            and _is_role_noun(text[begin:run_start].split()[0])
            and bare not in STOPWORDS
            and bare not in NON_NAME_STARTERS
            and not bare.endswith(("ly", "ed", "ing"))
        ):
            break
        begin = sent_start + at
    role = text[begin:name_start]
    # "of"/"for" may only sit inside a role, not open it
    role = _OF_FOR.sub("", role.strip())
    return _tidy(role)


def role_after(text: str, name_end: int, sent_end: int) -> str | None:
    """An appositive role right after a name: "William Taylor, former U.S. Ambassador to Ukraine"."""
    rest = text[name_end:sent_end]
    if not rest.startswith(", "):
        return None
    body = rest[2:]
    stop = _APPOSITIVE_STOP.search(body)
    phrase = body[: stop.start()] if stop else body
    if _AGE.match(phrase.strip()) and stop is not None and body[stop.start()] == ",":
        after_age = body[stop.end() :].lstrip()
        stop2 = _APPOSITIVE_STOP.search(after_age)
        phrase = after_age[: stop2.start()] if stop2 else after_age
    words = phrase.split()
    if not words or len(words) > 12:
        return None
    first = words[0].lower()
    if not (
        first in ("a", "an", "the", "his", "her", "their", "its")
        or words[0][:1].isupper()
        or first in _MODIFIERS
        or _is_role_noun(words[0])
    ):
        return None
    if not any(_is_role_noun(w) for w in words[:6]):
        return None
    return _tidy(phrase)


_IN_FRONT = re.compile(r"(?:^|[,;:—]\s)(?P<role>[^,;:\x01—]{2,80}),\s$")


def role_in_front(text: str, sent_start: int, run_start: int, run_end: int) -> str | None:
    """A role set before the name in commas: "The hospital’s chief executive, Daniel Okafor, said"."""
    if text[run_end : run_end + 1] not in (",", "") and not text[run_end:].startswith(" ("):
        return None
    m = _IN_FRONT.search(text[sent_start:run_start])
    if m is None:
        return None
    phrase = _AND_OR_WITH.split(m.group("role").strip())[-1]
    words = phrase.split()
    if not words or len(words) > 10 or not _is_role_noun(words[-1]):
        return None
    return _tidy(phrase)
