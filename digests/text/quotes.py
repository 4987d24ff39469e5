"""Direct quotations and who said them.

``extract_quotes`` finds the quotations (see ``_marks``) and attributes each one from the
reporter's words around it: cues after the quotation (``"...," X said``, ``said X``,
``according to X``), cues before it (``X said: "..."``, ``X told reporters "..."``, a partial
quote inside ``X called it a "disaster"``), ``X: "..."``; pronouns (``he said``) resolve to the
most salient earlier person; names expand to the full name used in the article; a quotation with
no attribution continues the previous speaker of its paragraph, or of the previous paragraph when
it stands alone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Container
from dataclasses import dataclass

from digests.models import OtherQuoted, Quote
from digests.text._attribution import Choice, Chooser, RuleChoice, attribute_all
from digests.text._cues import PARTIAL, SAY
from digests.text._marks import QuoteSpan, find_quote_spans
from digests.text._names import (
    NAME_CAPITALS,
    NAME_RUN,
    NON_NAME_STARTERS,
    PRONOUNS,
    TITLES,
    NameRegistry,
    clean_name,
    gender_of,
    is_first_name,
    is_modifier_word,
    is_org_name,
)
from digests.text._nonquotes import MARKUP, classify
from digests.text._roles import role_after, role_before, role_in_front
from digests.text._scan import ending_words, may_end_with, word_trie
from digests.text._speakers import SpeakerModel, load_model
from digests.text._tokens import wordset
from digests.text.sentences import split_sentences

__all__ = ["extract_quotes", "find_quotations"]

_SAY = SAY
_PARTIAL = PARTIAL
_ADVERB_WORDS = (
    "also|later|then|previously|once|has|had|have|would|will|quickly|simply|flatly|"
    "bluntly|publicly|privately|reportedly|again|further|repeatedly|recently|subsequently|"
    "separately|initially|finally|often|frequently|since|last|has since|just|cheerfully|"
    "angrily|proudly|firmly|emphatically|famously|once|herself|himself"
)
_ADVERBS = re.compile(rf"(?:\s+(?:{_ADVERB_WORDS}))+$", re.IGNORECASE)
# _ADVERBS and _PRONOUN_END are anchored at the end: ``may_end_with`` these words first, rather
# than let ``sub``/``search`` try every position of the text.
_ADVERB_ENDS = ending_words(_ADVERB_WORDS)
_PRONOUN_ENDS = ("he", "she", "they", "it", "we", "i")
# The cue lists are alternations of 100-200 words: ``word_trie`` factors them (same matches, several
# times faster to scan).
_SAY_TRIE = word_trie(_SAY, ignore_case=True)
_CUE_BEFORE = re.compile(rf"\b{word_trie(_SAY, _PARTIAL, ignore_case=True)}\b", re.IGNORECASE)
_AFTER_CUE_FIRST = re.compile(
    rf"^[\s,;:—–-]*(?P<cue>{word_trie(_SAY, 'according to', ignore_case=True)})\b", re.IGNORECASE
)
_AFTER_SUBJECT_CUE = re.compile(
    rf"^[\s,;:—–-]*(?P<np>[^\x01!?;:“”\"]{{1,90}}?)\s+(?P<cue>{_SAY_TRIE})\b", re.IGNORECASE
)
# "..." Jane Doe, a senior fellow at the Hoover Institution and a former ambassador, said
_AFTER_APPOSITIVE_CUE = re.compile(
    rf"^[\s,;:—–-]*(?P<np>[A-Z][^\x01!?;:“”\"\n]{{1,250}}?,)\s+(?:{_ADVERB_WORDS}\s+)?(?P<cue>{_SAY_TRIE})\b",
    re.IGNORECASE,
)
# The same three without IGNORECASE, for lower-cased ASCII text (same offsets, same matches): a
# case-sensitive branch is skipped on its first character, so they scan about three times faster.
_CUE_BEFORE_LOWER = re.compile(_CUE_BEFORE.pattern)
_AFTER_CUE_FIRST_LOWER = re.compile(_AFTER_CUE_FIRST.pattern)
_AFTER_SUBJECT_CUE_LOWER = re.compile(_AFTER_SUBJECT_CUE.pattern)
_SAID_NAME = re.compile(r"^\s+(?:[A-Z][\w.’'-]*\s*){1,5}[:,]?\s*$")
# A word that can be the verb of a clause ("Trump reportedly yelling:", "Sanders could only quip:").
_VERB_LIKE = re.compile(r"(?:ed|ing|s)$|^(?:could|would|will|can|may|might|must|should|did|do)$")
_COLON_NAME = re.compile(r"(?P<np>[A-Z][\w.’' -]{1,60}?)\s*:\s*$")
_PRONOUN_END = re.compile(r"(?<![\w’'])(he|she|they|it|we|i)$", re.IGNORECASE)
_DESCRIPTOR_END = re.compile(
    r"(?<![\w’'])((?:the|a|an|his|her|their|its|my|our|one|another|two|three|several|many)\s+"
    r"(?:[\w’'.-]+\s+){0,4}[\w’'.-]+|officials|sources|aides|advisers|critics|experts|"
    r"analysts|supporters|protesters|residents|witnesses|police|authorities)$",
    re.IGNORECASE,
)
_AFTER_STOP = re.compile(
    r"[,.;:!?\x01—–()]|\s(?:on|in|at|during|after|while|to|that|who|which|before|because|as|"
    r"when|about|from|with|via|last|this|earlier|later|yesterday|today|tonight|and|but|"
    r"is|was|has|had|for)\s"
)
_ABBREV_DOT = re.compile(r"\b(Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Jr|Sr|[A-Z])\.")
_ROLES = re.compile(
    r"^the\s+(?:[\w-]+\s+){0,3}(?:senator|president|candidate|nominee|governor|congressman|"
    r"congresswoman|mayor|secretary|minister|chancellor|businessman|businesswoman|billionaire|"
    r"judge|ambassador|leader|chairman|chairwoman|ceo|spokesman|spokeswoman|manager|coach|"
    r"star|actor|actress|singer|player|striker|midfielder|defender|boss|official|prosecutor|"
    r"lawyer|attorney|founder|director|executive|mogul|politician|lawmaker|democrat|republican|"
    r"man|woman|former)$",
    re.IGNORECASE,
)


# What depends only on a name run's own words: (name or None, had_title, ends in a possessive,
# is one word that is a sentence opener ("But", "After"), name has several words, opens with a
# preposition: "On The Steve Harvey Show").
# The end of a longer proper name's head: "the Commission on |Presidential Debates", "University of |Texas".
_IN_A_NAME_END = re.compile(r"(?<![\w’'.-])[A-Z][\w’'.-]*\s+(?:of|on|for)\s+$")
# A role word and a name after a name run: "(Manfred Mann) singer Paul Jones", "(PCS) leader Mark
# Serwotka", "(Telewest) chief executive Eric Tveter".
_ROLE_WORDS = TITLES | wordset(
    """singer player star striker midfielder defender goalkeeper editor analyst correspondent reporter
    host guitarist drummer actor actress writer author producer executive economist strategist boss
    owner captain"""
)
_ROLE_THEN_NAME = re.compile(
    r" (?:(?:chief|head|deputy|vice|assistant|managing|general|senior|former|lead|team|shadow|press|"
    r"party|club|union|campaign|health|foreign|finance|home|defence|defense) )?"
    + word_trie("|".join(sorted(_ROLE_WORDS)))
    + r" [A-Z]"
)
_RunFacts = tuple[str | None, bool, bool, bool, bool, bool]
_RUN_FACTS: dict[str, _RunFacts] = {}


def _run_facts(raw: str) -> _RunFacts:
    name, had_title = clean_name(raw)
    facts = (
        name,
        had_title,
        raw.endswith(("’s", "'s")),
        " " not in raw and raw.lower() in NON_NAME_STARTERS,
        name is not None and " " in name,
        " " in raw and raw.split(None, 1)[0].lower() in _PREPOSITIONS,
    )
    if len(_RUN_FACTS) < 100_000:
        _RUN_FACTS[raw] = facts
    return facts


def _mask(text: str, spans: list[QuoteSpan]) -> str:
    """``text`` with every quotation, marks included, overwritten by \\x01 (same length)."""
    pieces: list[str] = []
    at = 0
    for q in spans:
        if q.open_at < at:  # never for spans in text order, which do not overlap: the plain way
            chars = list(text)
            for span in spans:
                chars[span.open_at : span.close_at] = "\x01" * (span.close_at - span.open_at)
            return "".join(chars)
        pieces.append(text[at : q.open_at])
        pieces.append("\x01" * (q.close_at - q.open_at))
        at = q.close_at
    pieces.append(text[at:])
    return "".join(pieces)


_ORG_TIDY = re.compile(r"^(?:the|The)\s+|[’']s?$")
_POSSESSIVE_END = re.compile(r"[’']s$")


@dataclass(slots=True)
class _Person:
    pos: int
    name: str
    sentence: int
    cue_subject: bool
    possessive: bool
    # part of a phrase: "On The Steve Harvey Show", "the Commission on Presidential Debates"
    oblique: bool = False


class _Attributor:
    """Attribution state for one article."""

    def __init__(self, text: str, spans: list[QuoteSpan]) -> None:
        self.text = text
        self.masked = _mask(text, spans)
        self.sents = split_sentences(text)
        self.sent_starts = [s for s, _ in self.sents]
        self.registry = NameRegistry()
        # The people mentioned, in text order, are worked out only when a pronoun, a description
        # or a nickname test needs them (about half the articles): ``persons``.
        # pos, name, had_title, possessive, opens with a preposition (or modifies a name after it)
        self._runs: list[tuple[int, str, bool, bool, bool]] = []
        self._persons: list[_Person] | None = None
        self._keys: list[int] = []  # the positions of ``_persons``
        self._speakers: list[tuple[int, str]] = []  # add_speaker calls made before ``persons``
        self._mentions: dict[str, list[tuple[int, str]]] = {}  # full name -> (position, name run)
        self._roles: dict[str, str | None] = {}
        self._genders: dict[str, str | None] = {}
        self._collect_names()

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def _collect_names(self) -> None:
        # One pass over the name runs of the article, with what depends only on a run's words
        # looked up in ``_RUN_FACTS`` (shared by all articles) rather than worked out again.
        runs = self._runs
        starts = set(self.sent_starts)
        masked, text = self.masked, self.text
        registry, mentions = self.registry, self._mentions
        facts_of = _RUN_FACTS.get
        for m in NAME_RUN.finditer(masked):
            raw = m.group()
            at, end = m.span()
            if masked[at - 3 : at] in ("of ", "on "):
                head = _head_before(masked, at)
                if head is not None:
                    at, raw = head, masked[head:end]  # "Secretary of State John Kerry"
            name, had_title, ends_possessive, opener, several, lead_prep = facts_of(raw) or _run_facts(raw)
            if name is None:
                continue
            if opener and (at in starts or masked[at - 1 : at] in "\x01“\"‘'("):
                continue  # a sentence opener such as "But" or "After"
            # the run may carry the possessive ("Zelensky’s"), or the apostrophe may follow it
            possessive = ends_possessive or text[end : end + 1] in ("’", "'")
            # a modifier of the name after it: "Former Manfred Mann singer Paul Jones"
            modifier = masked[end : end + 1] == " " and _ROLE_THEN_NAME.match(masked, end) is not None
            runs.append((at, name, had_title, possessive, lead_prep or modifier))
            if had_title or several:
                registry.add(at, name)
                if several:
                    mentions.setdefault(name, []).append((at, raw))

    @property
    def persons(self) -> list[_Person]:
        """The people named in the article, in text order, with the speakers added since."""
        if self._persons is None:
            registry = self.registry
            persons: list[_Person] = []
            for pos, name, had_title, possessive, lead_prep in self._runs:
                first_name_only = False
                if " " not in name:
                    if not had_title and not registry.knows(name):
                        if not is_first_name(name):
                            continue
                        first_name_only = True  # "Alexis also wasn't shy", "his wife Sharon"
                elif is_org_name(name):
                    # "the Washington Post Trump said": a known person run into an organisation
                    words = name.split()
                    tail = next((words[i + 1 :] for i in range(len(words) - 1, -1, -1) if is_org_name(words[i])), [])
                    if not tail or is_org_name(" ".join(tail)) or not registry.knows(tail[-1]):
                        continue
                    name = " ".join(tail)
                full = registry.expand_first_name(name, pos) if first_name_only else registry.expand(name, pos)
                oblique = (
                    lead_prep
                    or _IN_A_NAME_END.search(self.masked, max(0, pos - 40), pos) is not None
                    or _OBJECT_OF_PREPOSITION.search(self.masked, max(0, pos - 12), pos) is not None
                )
                persons.append(_Person(pos, full, self.sentence_of(pos), False, possessive, oblique))
            self._persons = persons
            self._keys = [p.pos for p in persons]
            for pos, name in self._speakers:
                self._insert(pos, name)
        return self._persons

    @property
    def person_positions(self) -> list[int]:
        """The positions of ``persons``, ascending."""
        _ = self.persons
        return self._keys

    def _role_at(self, run_start: int, raw: str, name: str) -> str | None:
        at = raw.rfind(name)
        if at < 0:
            return None
        sent = self.sents[self.sentence_of(run_start)]
        role = role_before(self.masked, sent[0], run_start, run_start + at)
        if role is None and raw.endswith(name):
            role = role_after(self.masked, run_start + at + len(name), sent[1])
        if role is None and raw.endswith(name):
            role = role_in_front(self.masked, sent[0], run_start, run_start + len(raw))
        return role

    def role_of(self, speaker: str | None) -> str | None:
        """The role the article gives ``speaker`` ("former U.S. Ambassador to Ukraine"), if any: the
        first one stated at a mention of the full name."""
        if not speaker:
            return None
        if speaker not in self._roles:
            role = None
            if not is_org_name(speaker):
                for pos, raw in self._mentions.get(speaker, ()):
                    role = self._role_at(pos, raw, speaker)
                    if role:
                        break
            self._roles[speaker] = role
        return self._roles[speaker]

    def gender(self, name: str) -> str | None:
        """ "f", "m" or None for the person ``name``, from titles, role words and first names."""
        if name not in self._genders:
            mentions = self._mentions.get(name, ())
            context = " ".join(raw.replace(name, " ") for _, raw in mentions[:3])
            if " " not in name:
                self._genders[name] = gender_of(name) if is_first_name(name) else None
            else:
                # gender_of reads the context's words in order: when the name runs alone decide,
                # the role (costly to find) after them cannot change the answer
                decided = gender_of("", context)
                self._genders[name] = decided or gender_of(name, f"{context} {self.role_of(name) or ''}")
        return self._genders[name]

    def people_words(self) -> Container[str]:
        """First names and surnames of the article's people, lower case (worked out when first
        asked about)."""
        return _LazyWords(self)

    def _people_words(self) -> frozenset[str]:
        """First names and surnames of the article's people, lower case."""
        return frozenset(w.lower() for p in self.persons if " " in p.name for w in p.name.split())

    def salient_person(self, pos: int, gender: str | None = None) -> str | None:
        """The person a pronoun at ``pos`` most likely refers to (of ``gender``, "f" or "m", when
        the pronoun has one: people known to be of the other are passed over)."""
        # a name after a preposition ("On The Steve Harvey Show", "the Commission on Presidential
        # Debates") or a possessive ("Clinton’s website ... she vows") only when no one else is near
        return (
            self._salient(pos, gender, False, False)
            or self._salient(pos, gender, True, False)
            or self._salient(pos, gender, True, True)
        )

    def _salient(self, pos: int, gender: str | None, oblique: bool, possessive: bool) -> str | None:
        k = self.sentence_of(pos)
        persons = self.persons
        i = bisect.bisect_left(self._keys, pos) - 1  # the last person before ``pos``
        # Persons are in text order, so those of one sentence are contiguous: walk back from the
        # last one before ``pos``, sentence by sentence, up to five sentences back.
        # (a possessive only in this sentence or the one before)
        for j in range(k, max(-1, k - (2 if possessive else 6)), -1):
            end = i + 1
            while i >= 0 and persons[i].sentence == j:
                i -= 1
            in_sent = [
                p
                for p in persons[i + 1 : end]
                if (possessive or not p.possessive)
                and (oblique or not p.oblique)
                and (gender is None or self.gender(p.name) in (None, gender))
            ]
            if not in_sent:
                continue
            cued = [p for p in in_sent if p.cue_subject]
            return (cued[-1] if cued else in_sent[0]).name
        return None

    def titled_person(self, title: str, pos: int) -> str | None:
        """The person last named before ``pos`` with ``title`` in the name ("the President" after
        "President Barack Obama"), if any."""
        low = title.lower()
        best: tuple[int, str] | None = None
        for name, mentions in self._mentions.items():
            for at, raw in mentions:
                words = raw.lower().split()
                if at >= pos or low not in words or (best is not None and at < best[0]):
                    continue
                i = words.index(low)
                if i and words[i - 1] in ("vice", "deputy", "former", "ex", "assistant"):
                    continue  # "Vice President Joseph R. Biden Jr." is not "the president"
                best = (at, name)
        return best[1] if best else None

    def add_speaker(self, pos: int, name: str) -> None:
        if self._persons is None:
            self._speakers.append((pos, name))
        else:
            self._insert(pos, name)

    def _insert(self, pos: int, name: str) -> None:
        assert self._persons is not None
        at = bisect.bisect_left(self._keys, pos)
        self._persons.insert(at, _Person(pos, name, self.sentence_of(pos), True, False))
        self._keys.insert(at, pos)

    def resolve(self, kind: str, mention: str, pos: int) -> str | None:
        if kind == "pron":
            low = mention.lower()
            if low in ("he", "she", "him", "her"):
                return self.salient_person(pos, "f" if low in ("she", "her") else "m")
            return None
        if kind == "desc":
            if _ROLES.match(mention):
                return self.titled_person(mention.split()[-1], pos) or self.salient_person(pos)
            return None
        name, _ = clean_name(mention)
        if name is None:
            return None
        if is_org_name(name):  # organisations keep their full name: "Ukrainian Foreign Ministry"
            return _ORG_TIDY.sub("", mention.strip())
        return self.registry.expand(name, pos)


class _LazyWords:
    """``_Attributor._people_words``, worked out at the first ``in`` test."""

    __slots__ = ("_att", "_words")

    def __init__(self, att: _Attributor) -> None:
        self._att = att
        self._words: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = self._att._people_words()
        return word in self._words


def _np_before(s: str) -> tuple[str, str, int] | None:
    """The noun phrase (kind, mention, start) ending ``s`` (text just before a cue verb).

    None when ``s`` ends with a conjunction ("X bemoaned the unrest and said ..."): the subject
    of the cue is then that of the earlier verb, not the words before "and".
    """
    s = s.rstrip()
    if s.endswith((" who", " which")):  # "President Barack Obama, who called", "the State Department which said"
        s = s[: s.rfind(" ")].rstrip().removesuffix(",").rstrip()
    for _ in range(3):
        if may_end_with(s, _ADVERB_ENDS):
            s = _ADVERBS.sub("", s)
        if may_end_with(s, _TIME_ENDS):  # "Speaker Paul D. Ryan, ..., on Tuesday called"
            s = _TIME_AT_END.sub("", s)
        s = s.rstrip()
        if s.endswith((" and", " but", " or")):  # (also "... and has boasted of")
            return None
        if s.endswith(")"):
            s = s[: s.rfind("(")].rstrip() if "(" in s else s[:-1]
        if s.endswith(","):
            head = s[:-1]
            cut = max(head.rfind(","), head.rfind("—"))
            between = head[cut + 1 :].strip()
            named = NAME_RUN.fullmatch(between)
            if cut >= 0 and named and clean_name(between)[0]:
                return "name", between, len(head) - len(head[cut + 1 :].lstrip())
            if cut >= 0 and len(head) - cut < 140 and "\x01" not in head[cut:]:
                s = head[:cut].rstrip()
            else:
                s = head.rstrip()
    m = _PRONOUN_END.search(s) if may_end_with(s, _PRONOUN_ENDS) else None
    if m:
        return "pron", m.group(1), m.start(1)
    tail_from = max(0, len(s) - 90)
    for nm in NAME_RUN.finditer(s, tail_from):
        if nm.end() == len(s):
            name, _ = clean_name(nm.group())
            if name is not None:
                start = nm.start()
                while (outer := _head_before(s, start, orgs=True)) is not None:
                    start = outer  # "the Ministry of |Defence", "the Commission on |Local Tax Reform"
                if is_org_name(name) and s[:start].rstrip().endswith(","):
                    person = _person_before_affiliation(s[:start])
                    if person is not None:
                        return person
                return "name", s[start:], start
    m = _DESCRIPTOR_END.search(s[-80:])
    if m:
        return "desc", m.group(1), len(s) - 80 + m.start(1) if len(s) > 80 else m.start(1)
    return None


# Words opening a description after a cue: "said the senator", "said one former executive".
_DETERMINERS = wordset("the a an his her their its one another two three four several many some most few both")


def _person_before_affiliation(s: str) -> tuple[str, str, int] | None:
    """The person in "Mark Diffley, Director, |" (``s`` ends before the organisation of "Mark Diffley,
    Director, Ipsos MORI Scotland said"): a name up to two comma-separated parts back."""
    parts = s.rstrip().rstrip(",").split(",")
    at = len(s.rstrip().rstrip(","))
    for part in reversed(parts[-3:]):
        at -= len(part)
        run = part.strip()
        if NAME_RUN.fullmatch(run):
            name, _ = clean_name(run)
            if name and not is_org_name(name):
                return "name", run, at + len(part) - len(part.lstrip())
        at -= 1  # the comma
    return None


def _head_before(s: str, at: int, *, orgs: bool = False) -> int | None:
    """Where the head of a longer proper name that ends at ``at`` starts: a title ("Secretary of
    |State John Kerry") or, with ``orgs``, an organisation's word ("the Ministry of |Defence"); not
    a person ("Bush of |Florida")."""
    m = _IN_A_NAME_END.search(s, max(0, at - 40), at)
    if m is None:
        return None
    head = m.group().split()[0].lower()
    return m.start() if head in TITLES or (orgs and is_org_name(head)) else None


# A person's affiliation after the name: "Stephen Vladeck |of the University of Texas".
_OF_AFTER = re.compile(r"\s+of\s")


def _np_after(s: str) -> tuple[str, str, int] | None:
    """The noun phrase (kind, mention, start) right after a cue verb (``said William Taylor``)."""
    stop = _AFTER_STOP.search(_ABBREV_DOT.sub(r"\1_", s))
    region = s[: stop.start()] if stop else s[:90]
    lead = len(region) - len(region.lstrip())
    words = region.split()
    if not words:
        return None
    if words[0].lower() in PRONOUNS:
        return "pron", words[0], lead
    last = None
    for nm in NAME_RUN.finditer(region):
        last = nm
        if _OF_AFTER.match(region, nm.end()) and " " in nm.group():
            name, _ = clean_name(nm.group())
            if name and " " in name and not is_org_name(name):
                break  # "said Stephen Vladeck of the University of Texas School of Law": the person
    description = words[0].lower() in _DETERMINERS
    if last is not None and not (description and region[last.end() :].strip()[:1].islower()):
        return "name", last.group(), last.start()
    if description:  # "said the senator", "said the 2014 Amateur champion"
        return "desc", region.strip(), lead
    return None


# (every match starts with a capital, h or s: the lookahead lets the regex engine skip to those)
_FIRST_MENTION = re.compile(rf"(?=[hs{NAME_CAPITALS}])(?:(?<![\w’'])(?:[Hh]e|[Ss]he)\b|" + NAME_RUN.pattern + ")")


_PREPOSITIONS = wordset(
    "in at to from of on for by with into near across outside inside about against over under through toward "
    "towards via between among around than"
)
# A time between the subject and its verb: "X, the party's leader, on Tuesday called ...".
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TIME_WORDS_AT_END = f"{_WEEKDAYS}|yesterday|today|tonight|morning|afternoon|evening|night|week|month|year"
_TIME_AT_END = re.compile(
    rf"\s+(?:(?:on|last|this|early|late|on\s+\w+)\s+)?(?:{_TIME_WORDS_AT_END})(?:\s+(?:morning|afternoon|evening|night))?$",
    re.IGNORECASE,
)
_TIME_ENDS = ending_words(_TIME_WORDS_AT_END)
# A name after a preposition is the object, not the subject, of its clause ("an episode of Dr Phil",
# "in Santa Monica", "talks with Brown"): a pronoun prefers a subject. (Not "by" and "from", which
# bring the agent or the source: "a speech by Churchill", "came from Gammage".)
_OBJECT_OF_PREPOSITION = re.compile(
    rf"(?<![\w’'])(?:{'|'.join(sorted(_PREPOSITIONS - {'by', 'from'}))})\s+$", re.IGNORECASE
)
_PREPOSITION_END = re.compile(rf"(?<![\w’'])(?:{'|'.join(sorted(_PREPOSITIONS))})\s+$", re.IGNORECASE)
_OPENER_FORM_ENDS = ("ing", "ed", "ly")
_TIME_WORDS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december"""
)
_NEXT_WORD = re.compile(r"[’']?s?\s+([a-z]+)")
_MODIFIED_NOUNS = wordset(
    """attack attacks campaign campaigns administration era team camp aides supporters voters rally
    rallies speech speeches presidency policy policies plan plans agenda foundation organization
    spokesman spokeswoman spokesperson official officials backers allies loyalists staff staffers
    adviser advisers family tower hotel hotels brand shooting shootings bombing bombings talks"""
)


# A dateline's agency after the place: "Washington (AFP) –".
_DATELINE_AFTER = re.compile(r",?\s*\((?:AFP|AP|Reuters|UPI|CNN|Xinhua|dpa|EFE|ANSA|IANS|PTI|Bloomberg)\)")


def _first_mention(s: str, *, strict: bool = True, people: bool = False) -> tuple[str, str, int] | None:
    """The first name or he/she in ``s`` (the subject of a participle cue).

    Passed over (``strict``): a name after a preposition ("in Iowa", "at Drexel University": a place or a
    thing, not the subject), a run that opens with a sentence opener and names no person ("On
    Wednesday", "While Republicans"), one capitalised word opening ``s`` that is a participle or an
    adverb ("Reached by phone, ...", "Hastily, ..."), days and months, "I'm", and a name used as a
    modifier ("the Paris attacks", "the Trump campaign").
    """
    for m in _FIRST_MENTION.finditer(s):
        word = m.group()
        at = m.start()
        if word.lower() in ("he", "she"):
            return "pron", word, at
        if not word[:1].isupper():
            continue
        name, _ = clean_name(word)
        if not name or name.split()[0].lower() in NON_NAME_STARTERS or is_modifier_word(word):
            continue  # (nor "Jewish", "Republican" alone: adjectives)
        if _DATELINE_AFTER.match(s, m.end()) or (word.isupper() and s[at - 1 : at] == "("):
            continue  # "Washington (AFP) – Democrat Hillary Clinton has ..."
        if not strict:
            return "name", word, at
        if people and is_org_name(name):
            continue
        if at and _PREPOSITION_END.search(s, max(0, at - 12), at):
            title = _head_before(s, at)
            if title is not None:
                return "name", s[title : m.end()], title  # "Secretary of State Joan Albright"
            continue
        if " " in word and word.split(None, 1)[0].lower() in NON_NAME_STARTERS and is_org_name(name):
            continue  # "On Wednesday", "While Republicans": an opening phrase, not a person
        if " " not in word:
            low = word.lower()
            if low.endswith(_OPENER_FORM_ENDS) and not s[:at].strip(" “\"‘'(\x01"):
                continue
            if low in _TIME_WORDS or low.startswith(("i’", "i'")):
                continue  # "Monday", "I'm"
            after = _NEXT_WORD.match(s, m.end())
            if after and after.group(1) in _MODIFIED_NOUNS:
                continue  # a name used as a modifier: "the Paris attacks", "the Trump campaign"
        return "name", word, at
    return None


# A sign-off after a quotation, on its line or alone on the next paragraph: '" ― Jane Doe', '- Sanders.'
_SIGN_OFF = re.compile(
    r"[^\S\n]*(?:\n[^\S\n]*){0,2}[―—–-]+[^\S\n]*(?P<np>" + NAME_RUN.pattern + r")[^\S\n]*\.?[^\S\n]*(?=\n|$)"
)


# A cue word after one of these is a noun: "many of the states", "his notes", "the claims".
_NOUN_BEFORE = re.compile(
    r"(?<![\w’'])(?:the|a|an|his|her|their|its|our|my|your|these|those|of|many|some|several)\s+$", re.IGNORECASE
)


def _opens(s: str, at: int) -> bool:
    """Does ``s[at:]`` open a sentence or a clause (nothing but marks, or a full stop, before)?"""
    lead = s[:at].rstrip(" \t\n“\"‘'(\x01—–-")
    return not lead or lead[-1] in ".!?:;"


def _after_cue(after: str, at: int) -> tuple[str, str, int, bool] | None:
    """An attribution right after a quotation (``after`` starts at ``at``): ``, said X`` or
    ``, X said``."""
    # (ASCII: lower() keeps the offsets and the word counts; see _CUE_BEFORE_LOWER)
    after_low = after.lower() if after.isascii() else None
    m = _AFTER_CUE_FIRST.match(after) if after_low is None else _AFTER_CUE_FIRST_LOWER.match(after_low)
    if m:
        np = _np_after(after[m.end() :])
        if np and not (np[0] == "desc" and m.group("cue").lower() in ("told", "asked")):
            return np[0], np[1], at + m.end() + np[2], True
    m = _AFTER_SUBJECT_CUE.match(after) if after_low is None else _AFTER_SUBJECT_CUE_LOWER.match(after_low)
    if (
        m
        and len(m.group("np").split()) <= 9
        and not after[m.start("cue")].isupper()
        and not _NOUN_BEFORE.search(after, max(0, m.start("cue") - 12), m.start("cue"))
    ):
        np = _np_before(after[: m.start("cue")])
        # not the cue of a clause joined after the quotation: '" in response, and he urged ...'
        if np and not (np[0] == "pron" and after[: np[2]].rstrip().endswith((" and", ",and", " but"))):
            return np[0], np[1], at + np[2], True
    m = _AFTER_APPOSITIVE_CUE.match(after) if "," in after else None
    if m and m.group("np")[:1].isupper() and not after[m.start("cue")].isupper():
        np = _np_before(after[: m.end("np")])
        if np and np[0] == "name" and not after[: np[2]].strip(" ,;:—–-"):
            return np[0], np[1], at + np[2], True
    return None


# A speaker label in capitals opening the quoted words, as transcripts print them.
_TRANSCRIPT_LABEL = re.compile(r"((?:[A-Z]{2,}[ .’'-]{0,2}){1,3}):\s")


def _colon_intro(before: str, low: int) -> tuple[str, str, int, bool] | None:
    """The speaker named right before a colon that introduces the quotation ('Scotland head coach
    Vern Cotter: “...”', 'with Trump reportedly yelling: “...”'); ``before`` (which ends with the
    colon) starts at ``low`` in the text."""
    m = _COLON_NAME.search(before)
    # (not "in an interview with CNN on Tuesday:": a name after a preposition is not the speaker,
    # unless a clause follows it: "with Trump reportedly yelling:")
    if (
        m is None
        or _CUE_BEFORE.search(m.group("np"))
        or (
            _PREPOSITION_END.search(before, max(0, m.start("np") - 12), m.start("np"))
            and all(w[0].isupper() or w in _PREPOSITIONS for w in m.group("np").split())
        )
    ):
        return None
    mention, at = m.group("np").strip(), low + m.start("np")
    signed = mention.rfind(" - ")
    if signed > 0 and clean_name(mention[signed + 3 :])[0]:  # "... for Republican contests - Philip Bump:"
        mention, at = mention[signed + 3 :], at + signed + 3
    name, _ = clean_name(mention.split(",")[0])
    lead = NAME_RUN.match(mention)
    rest = [w for w in mention[lead.end() :].split(",")[0].split() if w[0].islower()] if lead else []
    # "Trump reportedly yelling:" is Trump; "the national RNC file:" names no one ("Scotland head
    # coach Vern Cotter:" ends with the name)
    ends_with_name = not mention.split()[-1][0].islower()
    if (
        name
        and name.split()[0].lower() not in NON_NAME_STARTERS
        and (not rest or ends_with_name or any(map(_VERB_LIKE.search, rest)))
    ):
        if (
            lead
            and rest
            and not ends_with_name
            and clean_name(lead.group())[0]
            and lead.group().split()[0].lower() not in NON_NAME_STARTERS
        ):
            mention = lead.group()
        return "name", mention, at, True
    return None


def _direct(
    att: _Attributor, q: QuoteSpan, prev: QuoteSpan | None, nxt: QuoteSpan | None
) -> tuple[str, str, int, bool] | None:
    """Find the attribution in the reporter's words around ``q``: (kind, mention, position, cued).

    ``cued`` is False when no speech cue was found and the mention is only the first person named
    in the sentence before the quotation.
    """
    label = _TRANSCRIPT_LABEL.match(att.text, q.start)
    if label:  # a transcript line: "PENCE: Well, the question really should be ..."
        return "name", label.group(1).title(), q.start, True
    text = att.masked
    s_first = att.sents[att.sentence_of(q.open_at)][0]
    last_k = att.sentence_of(max(q.open_at, q.close_at - 1))
    s_last = att.sents[last_k][1]
    low = max(s_first, prev.close_at if prev and prev.paragraph == q.paragraph else 0)
    high = s_last
    if nxt is not None and nxt.paragraph == q.paragraph:
        high = min(high, nxt.open_at)
    hit = _after_cue(text[q.close_at : max(q.close_at, high)], q.close_at)
    if hit:
        return hit
    if low == s_first and q.open_at > 0 and text[q.open_at - 1] == "\n":
        # A quotation opening its paragraph after one that ends "X said:" is introduced by it.
        intro_end = len(text[: q.open_at].rstrip())
        if text[intro_end - 1 : intro_end] == ":" and (prev is None or prev.close_at < intro_end):
            low = max(att.sents[att.sentence_of(intro_end - 1)][0], prev.close_at if prev else 0)
    before = text[low : q.open_at]
    # (_COLON_NAME ends with ":" and spaces: its search, which tries every position, only then)
    hit = _colon_intro(before, low) if before.rstrip().endswith(":") else None
    if hit:
        return hit
    # (ASCII: lower() keeps the offsets, and matches the ASCII cue words as IGNORECASE does)
    cues = list(_CUE_BEFORE_LOWER.finditer(before.lower()) if before.isascii() else _CUE_BEFORE.finditer(before))
    # a capitalised cue word mid-sentence is a name ("United States"), and one after a determiner a
    # noun ("many of the states"): neither is a cue
    cues = [
        c
        for c in cues
        if (not before[c.start()].isupper() or _opens(before, c.start()))
        and not _NOUN_BEFORE.search(before, max(0, c.start() - 12), c.start())
    ]
    if not cues or (len(cues) == 1 and cues[0].start() == 0):
        hit = _opening_participle(att, q, before, nxt)
        if hit:
            return hit
    if cues:
        c = cues[-1]
        cue = c.group().lower()
        tail = before[c.end() :]
        head = before[: c.start()]
        if cue == "according to" or (
            _SAID_NAME.match(tail) and cue in ("said", "says", "added", "wrote", "writes", "tweeted")
        ):
            # "X says Y “...”": the words after the cue are the subject of the reported clause
            # and X, right before the cue (or before an appositive: "X, a former aide, said Y"),
            # is the speaker; "..., said Y: “...”" and "..., said Y, “...”" name Y
            subject_after = tail.rstrip()[-1:] in (":", ",")
            np = _np_before(head) if cue != "according to" and not subject_after and head.strip() else None
            if np:
                return np[0], np[1], low + np[2], True
            np = _np_after(tail)
            if np:
                return np[0], np[1], low + c.end() + np[2], True
        participle = cue.endswith("ing")
        first = _first_mention(head) if participle else None
        if first:
            return first[0], first[1], low + first[2], True
        np = _np_before(head)
        if np and (np[0] != "desc" or not participle):
            return np[0], np[1], low + np[2], True
        if np is None and len(cues) > 1 and head.rstrip().endswith((" and", " but")):
            # "Lazar said he welcomed extradition and added, “...”": the subject of the earlier cue
            np = _np_before(before[: cues[-2].start()])
            if np and np[0] != "desc":
                return np[0], np[1], low + np[2], True
        if np is None and "," in head and head.rstrip().endswith((" and", " but")):
            # "When asked whom she supported, Ms. Sherry smiled and said": the main clause's subject
            cut = head.rfind(",") + 1
            first = _first_mention(head[cut:])
            if first:
                return first[0], first[1], low + cut + first[2], True
        first = _first_mention(head)
        if first:
            return first[0], first[1], low + first[2], True
    if s_last <= q.close_at and last_k + 1 < len(att.sents):
        # The quotation ends its sentence ("...emails." Trump said. / "Why?" Obama asked): the
        # splitter saw a capital after the closing mark. The next sentence, on the same line,
        # attributes it when it opens with the speaker and the cue.
        n_start, n_end = att.sents[last_k + 1]
        if nxt is not None and nxt.paragraph == q.paragraph:
            n_end = min(n_end, nxt.open_at)
        if n_start - q.close_at <= 2 and "\n" not in text[q.close_at : n_start]:
            hit = _after_cue(text[q.close_at : n_end], q.close_at)
            if hit and (hit[0] == "pron" or _plain_subject(text, n_start, n_end)):
                return hit
    sign = _SIGN_OFF.match(text, q.close_at)
    if sign and clean_name(sign.group("np"))[0]:  # a quotation signed off: "..." ― Jane Doe
        return "name", sign.group("np"), sign.start("np"), True
    if not before.strip(_OPENING_MARKS) and q.open_at == low:
        hit = _said_before(att, q, prev)
        if hit:
            return hit
    # a partial quote in a sentence about someone, with an unlisted cue: a person before an
    # organisation or a place ("told city leaders that the United States should be governed by")
    first = _first_mention(before, people=True) or _first_mention(before)
    if first:
        return first[0], first[1], low + first[2], False
    return None


_OPENING_MARKS = " \t\n“\"‘'(\x01"
_TIME_AFTER_CUE = rf"(?:\s+(?:on\s+)?(?:{_WEEKDAYS}|yesterday|today|last\s+week))?"
# A reported sentence that ends with its attribution: "..., Schiff said." / "..., said Adam Schiff."
_CUE_ENDS_SENTENCE = re.compile(
    rf",\s+(?:(?P<np>[^,\x01“”\"]{{1,60}}?)\s+(?:{_SAY_TRIE})|(?:{_SAY_TRIE})\s+(?P<after>[^,\x01“”\"]{{1,60}}?))"
    rf"{_TIME_AFTER_CUE}\s*\.$",
    re.IGNORECASE,
)


# Words that open a sentence going on from the one before: "Still, former astronaut John Grunsfeld said ..."
_CONNECTIVES = wordset("but still however meanwhile yet and so also instead now then though although separately")
_SAY_WORD = re.compile(rf"\b{_SAY_TRIE}\b", re.IGNORECASE)


def _plain_subject(text: str, start: int, end: int) -> bool:
    """Is the subject before the first cue of the sentence ``text[start:end]`` a plain one ('Trump
    asked reporters on Tuesday.'), not one with a relative clause, which opens a new report ('The
    Oxford Food Bank, which is independent of the network, urged caution')?"""
    m = _SAY_WORD.search(text, start, end)
    if m is None:
        return True
    subject = text[start : m.start()]
    words = subject.split(None, 1)
    first = words[0].lower() if words else ""
    opener = first.strip(",")
    return (
        ", which" not in subject
        and ", who" not in subject
        and opener not in _CONNECTIVES
        and not (first.endswith("ly,") and len(opener) > 4)  # "Currently, India has ..., said the report."
    )


def _said_before(att: _Attributor, q: QuoteSpan, prev: QuoteSpan | None) -> tuple[str, str, int, bool] | None:
    """A quotation opening a sentence, right after a sentence of its paragraph that paraphrases
    someone and ends with the attribution ('..., Schiff said. “The other factor ...”'): that person."""
    k = att.sentence_of(q.open_at)
    if k == 0:
        return None
    p_start, p_end = att.sents[k - 1]
    text = att.masked
    if "\n" in text[p_end : q.open_at] or (prev is not None and prev.close_at > p_start):
        return None
    sent = text[p_start:p_end]
    cut = sent.rfind(",")
    while cut >= 0 and len(sent) - cut <= 120:
        m = _CUE_ENDS_SENTENCE.match(sent, cut)
        if m:
            if m.group("np") is not None:
                np = _np_before(m.group("np"))
                at = m.start("np")
            else:
                np = _np_after(m.group("after"))
                at = m.start("after")
            if np and np[0] in ("name", "pron"):
                return np[0], np[1], p_start + at + np[2], True
            break
        cut = sent.rfind(",", 0, cut)
    # "Sami recalled how all he saw was a dark highway. “And I was like, ...”": the sentence opens
    # with its speaker and the cue
    m = _SUBJECT_CUE_OPENS.match(sent)
    if m:
        np = _np_before(m.group("np"))
        # (a name must open the sentence: "Sami recalled ...", not "In Iowa, Sami said ...")
        if np and (np[0] == "pron" or (np[0] == "name" and not m.group("np")[: np[2]].strip())):
            return np[0], np[1], p_start + np[2], True
    return None


# A sentence that opens with its speaker and a speech cue: "Sami recalled how ...", "Sen. Ted Cruz
# (R-Tex.), a candidate, tweeted a warning."
_SUBJECT_CUE_OPENS = re.compile(rf"(?P<np>[^\x01“”\"]{{1,160}}?)\s+(?:also\s+)?(?:{_SAY_TRIE})\b", re.IGNORECASE)


# A sentence opening on a participle clause: "Bemoaning the “phony system,” Trump accused ...".
_OPENING_PARTICIPLE = re.compile(r"[\"“‘'(]?[A-Z][a-z]+ing\s")
_SUBJECT_AFTER_CLAUSE = re.compile(r"[\s,]*(" + NAME_RUN.pattern + r")\s+(?:also\s+|then\s+)?[a-z]+ed\b")


def _opening_participle(
    att: _Attributor, q: QuoteSpan, before: str, nxt: QuoteSpan | None
) -> tuple[str, str, int, bool] | None:
    """The subject of the main clause when the quotation sits in a participle clause opening the
    sentence: "Bemoaning the “phony system,” Trump accused Holt ..." is Trump's."""
    if not _OPENING_PARTICIPLE.match(before) or "," in before:
        return None
    end = att.sents[att.sentence_of(q.open_at)][1]
    if nxt is not None:
        end = min(end, nxt.open_at)
    m = _SUBJECT_AFTER_CLAUSE.match(att.masked, q.close_at, end)
    if m is None or "," not in att.text[q.end - 1 : m.start(1)]:
        return None
    name, _ = clean_name(m.group(1))
    if not name or is_org_name(name) or name.split()[0].lower() in NON_NAME_STARTERS:
        return None
    return "name", m.group(1), m.start(1), True


def extract_quotes(text: str) -> list[Quote]:
    """Direct quotations in ``text`` with their speakers, in order.

    ``Quote.text`` is exactly the characters inside the quotation marks
    (``text[q.start:q.end] == q.text``); ``speaker`` is the resolved name when known and
    ``speaker_mention`` the words the article uses at the attribution ("he", "Zelensky").
    Titles, scare quotes, slogans and nicknames in quotation marks are left out (see
    ``find_quotations``).
    """
    return find_quotations(text)[0]


def find_quotations(text: str, *, attribute: bool = True) -> tuple[list[Quote], list[OtherQuoted]]:
    """The direct quotations of ``text`` and, apart, the other quoted words (titles of works, scare
    quotes, slogans, nicknames), both in text order with verbatim offsets.

    With ``attribute=False`` (text in another language) quotations get no speaker. A speaker is
    given only when its confidence reaches the shipped threshold; below it the quotation is
    unattributed (``speaker`` None) and keeps its ``confidence``.
    """
    return quotations(text, attribute=attribute)


def quotations(
    text: str,
    *,
    attribute: bool = True,
    use_model: bool = True,
    choose: Chooser | None = None,
    trace: list[Choice] | None = None,
    model: SpeakerModel | None = None,
    rules_out: list[tuple[QuoteSpan, RuleChoice]] | None = None,
) -> tuple[list[Quote], list[OtherQuoted]]:
    """The direct quotations of ``text`` and, apart, the other quoted words (titles of works, scare
    quotes, slogans, nicknames), both in text order with verbatim offsets.

    ``quotations`` is ``find_quotations`` with the knobs the benchmark and the training script
    need: ``use_model=False`` gives the round-1 rules' speakers; ``choose`` picks the candidate
    each quotation goes on with (the training script's gold); ``trace`` collects every
    quotation's ``Choice`` (candidates, features, probabilities), ``rules_out`` each kept
    quotation's span with the rules' mention; ``model`` replaces the shipped one.
    """
    spans = find_quote_spans(text)
    if not spans:
        return [], []
    if not attribute:
        bare = [q for q in spans if text[q.open_at - 1 : q.open_at] != "="]
        return [Quote(text[q.start : q.end], None, None, q.start, q.end) for q in bare], []
    att = _Attributor(text, spans)
    people = att.people_words()
    hits: list[tuple[str, str, int, bool] | None] = []
    kept: list[QuoteSpan] = []
    others: list[OtherQuoted] = []
    for i, q in enumerate(spans):
        prev = spans[i - 1] if i else None
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        hit = _direct(att, q, prev, nxt)
        p_start = text.rfind("\n", 0, q.open_at) + 1
        p_end = text.find("\n", q.close_at)
        p_end = len(text) if p_end < 0 else p_end
        kind = classify(
            text[q.start : q.end],
            text[max(p_start, q.open_at - 120) : q.open_at],
            text[q.close_at : min(p_end, q.close_at + 80)],
            cued=hit is not None and hit[3],
            credited=hit is not None or _someone_before(att, q),
            people_words=people,
        )
        if kind is not None:
            if kind != MARKUP:
                others.append(OtherQuoted(text[q.start : q.end], kind, q.start, q.end))
            continue
        kept.append(q)
        hits.append(hit)
    found: list[tuple[str | None, str | None, bool]] = []
    where: list[RuleChoice] = []  # the rules' mention of each quotation's speaker
    for i, (q, hit) in enumerate(zip(kept, hits, strict=True)):
        prev = kept[i - 1] if i else None
        if (
            hit is not None
            and not hit[3]
            and prev is not None
            and found
            and found[-1][2]
            and found[-1][1]
            and att.sentence_of(prev.open_at) == att.sentence_of(q.open_at)
        ):
            # an uncued name between two quotations of one sentence ('X called Y "crooked" and Z
            # "crazy"') is what the second one is about: it goes on with the first one's speaker
            found.append((found[-1][0], found[-1][1], True))
            where.append(where[-1])
            continue
        if hit is not None:
            kind, mention, pos, _ = hit
            speaker = att.resolve(kind, mention, pos)
            mention = _POSSESSIVE_END.sub("", mention.strip().rstrip(","))
            if speaker and kind != "desc" and not is_org_name(speaker):
                att.add_speaker(pos, speaker)
            found.append((speaker, mention, True))
            where.append((kind, mention, pos))
            continue
        speaker_mention: tuple[str | None, str | None] = (None, None)
        rule: RuleChoice = None
        if prev is not None and found:
            same_para = prev.paragraph == q.paragraph
            run_on = prev.paragraph == q.paragraph - 1 and (not prev.closed or _quote_only(text, q, spans))
            if same_para or run_on:
                speaker_mention = found[-1][0], found[-1][1]
                rule = where[-1]
        found.append((speaker_mention[0], speaker_mention[1], False))
        where.append(rule)
    # A quotation that opens a paragraph may be attributed by the next one in the paragraph.
    for i in range(len(kept) - 2, -1, -1):
        if found[i][1] is None and kept[i + 1].paragraph == kept[i].paragraph and found[i + 1][2]:
            found[i] = (found[i + 1][0], found[i + 1][1], False)
            where[i] = where[i + 1]
    if rules_out is not None:
        rules_out.extend(zip(kept, where, strict=True))
    if not use_model:
        quotes = [
            Quote(
                text=text[q.start : q.end],
                speaker=sp,
                speaker_mention=mn,
                start=q.start,
                end=q.end,
                role=att.role_of(sp),
            )
            for q, (sp, mn, _) in zip(kept, found, strict=True)
        ]
        return quotes, others
    model = model or load_model()
    choices = attribute_all(att, kept, where, model, choose)
    quotes = []
    for q, choice in zip(kept, choices, strict=True):
        shown = choice.speaker is not None and choice.confidence >= model.threshold
        speaker = choice.speaker if shown else None
        quotes.append(
            Quote(
                text=text[q.start : q.end],
                speaker=speaker,
                speaker_mention=_POSSESSIVE_END.sub("", choice.candidate.text.strip()) if shown else None,
                start=q.start,
                end=q.end,
                role=att.role_of(speaker) if choice.speaker_type == "person" else None,
                confidence=round(choice.confidence, 3),
                speaker_type=choice.speaker_type if shown else None,
            )
        )
        if trace is not None:
            trace.append(choice)
    return quotes, others


def _someone_before(att: _Attributor, q: QuoteSpan) -> bool:
    """Is anyone named (or referred to as he/she) earlier in the sentence of ``q``?"""
    s_first = att.sents[att.sentence_of(q.open_at)][0]
    return _first_mention(att.masked[s_first : q.open_at], strict=False) is not None


def _quote_only(text: str, q: QuoteSpan, spans: list[QuoteSpan]) -> bool:
    """Is the paragraph of ``q`` made only of quotations (and punctuation)?"""
    para = [s for s in spans if s.paragraph == q.paragraph]
    p_start = text.rfind("\n", 0, para[0].open_at) + 1
    p_end = text.find("\n", para[-1].close_at)
    p_end = len(text) if p_end < 0 else p_end
    rest = text[p_start:p_end]
    for s in reversed(para):
        rest = rest[: s.open_at - p_start] + rest[s.close_at - p_start :]
    return not any(c.isalnum() for c in rest)
