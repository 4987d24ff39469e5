"""Topics: loading ``config/topics.toml`` and matching articles against a topic's rules.

An article belongs to a topic when it is *about* it, not when it mentions it in passing: where a
phrase occurs counts (the headline and the lead weigh most), how often, and whether it is only
part of a longer name ("Democrat" in "Liberal Democrat", "Congress" in "TUC Congress": a
capitalised word just before it that is not a word of the topic's own phrases; "US Congress" counts
for a topic that names the US). Every `all` group must be mentioned (the context a topic needs).
``Relevance`` says why an article matches or not (``newsbot topics preview``).

Matching works on word boundaries. A phrase is matched case-insensitively, except short all-caps
acronyms ("AI", "GOP", "US") which must match in capitals so that "ai" or "us" in running text
never hit.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from digests.errors import ConfigError
from digests.lifecycle import ASSERTIVE, LIFECYCLES
from digests.text._tokens import wordset

__all__ = ["Hit", "Relevance", "StatusState", "Topic", "TopicRules", "load_topics", "phrase_pattern"]


TITLE_WEIGHT = 3.0  # a mention in the headline
LEAD_WEIGHT = 3.0  # in the lead (the first two sentences)
BODY_WEIGHT = 1.0  # further down, each mention (at most three of one phrase count)
MIN_SCORE = 3.0  # relevant: named in the headline or the lead, or mentioned three times


def _acronym(phrase: str) -> bool:
    return phrase.isupper() and len(phrase) <= 5


def _normal(phrase: str) -> str:
    return re.sub(r"[\s\-–]+", " ", phrase.casefold())


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Compile a phrase into a word-bounded pattern; ``re:`` prefixes a raw regular expression."""
    if phrase.startswith("re:"):
        return re.compile(phrase[3:], re.IGNORECASE)
    words = [re.escape(w) for w in phrase.split()]
    body = r"[\s\-–]+".join(words)
    flags = 0 if _acronym(phrase) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", flags)


def _check_cues(cues: list[str]) -> list[str]:
    for cue in cues:
        try:
            phrase_pattern(cue)
        except re.error as exc:
            raise ValueError(f"bad regular expression {cue!r}: {exc}") from exc
    return cues


class _StateModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    label: str
    cues: list[str] = Field(min_length=1)
    assertive: bool = False  # cues that a negation or hedge before them cancels

    @field_validator("cues")
    @classmethod
    def _valid_cues(cls, cues: list[str]) -> list[str]:
        return _check_cues(cues)


class _StatusModel(BaseModel):
    """Either ``lifecycle`` (a built-in set of states read from sentences, with optional extra
    ``cues`` per state and ``labels``), or hand-written ``states``."""

    model_config = ConfigDict(extra="forbid")
    lifecycle: str | None = None
    cues: dict[str, list[str]] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)
    states: list[_StateModel] = Field(default_factory=list)
    # how far back an answer looks; a lifecycle's state stands until a newer development, so 30 days
    window_days: int | None = Field(default=None, ge=1, le=365)

    @model_validator(mode="after")
    def _one_kind(self) -> _StatusModel:
        if self.lifecycle is None:
            if not self.states:
                raise ValueError('give `lifecycle` (e.g. "negotiation") or a list of `states`')
            if self.cues or self.labels:
                raise ValueError("`cues` and `labels` add to a `lifecycle`; with `states`, put cues in each state")
            return self
        if self.states:
            raise ValueError("give either `lifecycle` or `states`, not both")
        if self.lifecycle not in LIFECYCLES:
            raise ValueError(f"unknown lifecycle {self.lifecycle!r} (known: {', '.join(sorted(LIFECYCLES))})")
        known = {state for state, _ in LIFECYCLES[self.lifecycle]}
        for what, table in (("cues", self.cues), ("labels", self.labels)):
            for state in table:
                if state not in known:
                    raise ValueError(f"{what}: unknown state {state!r} (the lifecycle's: {', '.join(sorted(known))})")
        for cues in self.cues.values():
            _check_cues(cues)
        return self


class _TopicModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    description: str = ""
    any: list[str] = Field(default_factory=list)
    all: list[str | list[str]] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    min_score: float = Field(default=MIN_SCORE, gt=0)
    aliases: dict[str, str] = Field(default_factory=dict)
    status: _StatusModel | None = None

    @field_validator("aliases")
    @classmethod
    def _valid_aliases(cls, aliases: dict[str, str]) -> dict[str, str]:
        for name in aliases:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", name):
                raise ValueError(f"alias {name!r} must be 1-32 lowercase letters, digits, - or _")
        return aliases


@dataclass(frozen=True)
class StatusState:
    id: str
    label: str
    cues: tuple[str, ...]
    assertive: bool = False

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(phrase_pattern(c) for c in self.cues)


_LEAD_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n")
# capitalised words that never make a name longer ("The Senate", "In Congress")
_FUNCTION_WORDS = wordset(
    """a an the this that these those its his her their our my your we he she they it i in on at for
    from with by of to and or but as if when while after before since during under over about against
    between into through without within across among both each every all some any no not many most
    more other such one two three four five six seven eight nine ten new former ex last next says said
    how why what who where which there here then so yet also only even just still now today yesterday
    monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr"""
)
_WORD_BEFORE = re.compile(r"([A-Z][\w'’.&-]*)[ \t]+$")


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a topic phrase occurs in an article."""

    phrase: str
    where: str  # "title", "lead" or "body"
    count: int


@dataclass(frozen=True, slots=True)
class Relevance:
    """Whether an article belongs to a topic, and why."""

    matched: bool
    score: float
    hits: tuple[Hit, ...] = ()
    ignored: tuple[str, ...] = ()  # longer names a phrase was part of ("Liberal Democrat")
    missing: tuple[str, ...] = ()  # an `all` group with no mention (its first phrase)
    excluded: str | None = None  # the `exclude` phrase that ruled it out
    wrong_source: bool = False

    def reason(self) -> str:
        """One line: why it matches, or why not."""
        if self.wrong_source:
            return "not from one of the topic's sources"
        parts = [f"{h.phrase!r} in the {h.where}" + (f" ×{h.count}" if h.count > 1 else "") for h in self.hits]
        said = "; ".join(parts) if parts else "no phrase of the topic"
        if self.ignored:
            said += "; not counted (part of a longer name): " + ", ".join(repr(n) for n in self.ignored)
        if self.excluded:
            return f"{said}; ruled out by {self.excluded!r}"
        if self.missing:
            return f"{said}; but no mention of {' / '.join(repr(m) for m in self.missing)} (needed context)"
        if not self.matched:
            return f"{said}; score {self.score:g} < {MIN_SCORE:g}: a passing mention"
        return f"{said}; score {self.score:g}"


def _lead_end(text: str) -> int:
    """Where the lead (the first two sentences) ends; a cheap split, as this runs on every article."""
    for n, m in enumerate(_LEAD_END.finditer(text), 1):
        if n == 2:
            return m.end()
    return len(text)


def _longer_name(text: str, start: int, vocabulary: frozenset[str]) -> str | None:
    """The longer name the phrase at ``start`` is the tail of ("Liberal Democrat", "TUC Congress"):
    a capitalised word right before it that is neither a function word nor the topic's own word."""
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return None
    word = m.group(1).rstrip(".")
    if word.casefold() in _FUNCTION_WORDS or word.casefold() in vocabulary:
        return None
    return word


@dataclass(frozen=True)
class TopicRules:
    """Match rules, by relevance: the phrases of ``any`` must weigh at least ``min_score`` (headline
    and lead count most, then each further mention; a phrase that is the tail of a longer name, as
    "Democrat" in "Liberal Democrat", does not count); every group of ``all`` must be mentioned; none
    of ``exclude``; only ``sources``."""

    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    min_score: float = MIN_SCORE

    @cached_property
    def _any(self) -> tuple[re.Pattern[str], ...]:
        """All of ``any`` in as few scans as possible: one pattern of the phrases matched without
        case, one of the acronyms matched in capitals, one per regular expression (a hundred
        phrases scanned one by one cost milliseconds an article, and digests match thousands)."""
        plain = sorted((p for p in self.any if not p.startswith("re:") and not _acronym(p)), key=len, reverse=True)
        caps = sorted((p for p in self.any if _acronym(p)), key=len, reverse=True)
        patterns = []
        for group, flags in ((plain, re.IGNORECASE), (caps, 0)):
            if group:
                body = "|".join(r"[\s\-–]+".join(re.escape(w) for w in p.split()) for p in group)
                patterns.append(re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags))
        patterns += [phrase_pattern(p) for p in self.any if p.startswith("re:")]
        return tuple(patterns)

    @cached_property
    def _phrase_of(self) -> dict[str, str]:
        return {_normal(p): p for p in self.any if not p.startswith("re:")}

    @cached_property
    def _all(self) -> tuple[tuple[re.Pattern[str], ...], ...]:
        return tuple(tuple(phrase_pattern(p) for p in group) for group in self.all)

    @cached_property
    def _exclude(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((p, phrase_pattern(p)) for p in self.exclude)

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        """Single words of the topic's own phrases: "US Congress" is a name of this topic."""
        words = {w.casefold() for p in (*self.any, *(q for g in self.all for q in g)) for w in p.split()}
        return frozenset(w for w in words if not w.startswith("re:"))

    def _counted(self, m: re.Match[str], text: str, ignored: list[str]) -> bool:
        """False when the match is only the tail of a longer name. Names are capitalised: only a
        phrase written with a capital ("Congress", not "embargo") can be part of one."""
        if not m.group(0)[:1].isupper():
            return True
        name = _longer_name(text, m.start(), self._vocabulary)
        if name is None:
            return True
        ignored.append(f"{name} {m.group(0)}")
        return False

    def _scan(self, text: str, ignored: list[str]) -> list[tuple[str, int]]:
        found = []
        for pattern in self._any:
            for m in pattern.finditer(text):
                if self._counted(m, text, ignored):
                    found.append((self._phrase_of.get(_normal(m.group(0)), pattern.pattern), m.start()))
        return found

    def relevance(self, title: str, text: str, source: str | None = None) -> Relevance:
        """How much an article with this title, text and source is about the topic, and why."""
        if self.sources and (source or "").casefold() not in {s.casefold() for s in self.sources}:
            return Relevance(False, 0.0, wrong_source=True)
        ignored: list[str] = []
        score = 0.0
        hits: list[Hit] = []
        if self._any:
            in_title = self._scan(title, ignored)
            in_text = self._scan(text, ignored)
            lead_end = _lead_end(text) if in_text else 0
            counts: dict[tuple[str, str], int] = {}
            for phrase, _ in in_title:
                counts[phrase, "title"] = counts.get((phrase, "title"), 0) + 1
            for phrase, at in in_text:
                where = "lead" if at < lead_end else "body"
                counts[phrase, where] = counts.get((phrase, where), 0) + 1
            order = {"title": 0, "lead": 1, "body": 2}
            for (phrase, where), n in sorted(counts.items(), key=lambda kv: (order[kv[0][1]], -kv[1])):
                hits.append(Hit(phrase, where, n))
                score += {"title": TITLE_WEIGHT, "lead": LEAD_WEIGHT}.get(where, BODY_WEIGHT * min(n, 3))
            if score < self.min_score:
                return Relevance(False, score, tuple(hits), tuple(dict.fromkeys(ignored)))
        haystack = f"{title}\n{text}"
        missing = tuple(
            group[0]
            for group, patterns in zip(self.all, self._all, strict=True)
            if not any(self._counted(m, haystack, []) for p in patterns for m in p.finditer(haystack))
        )
        excluded = next((phrase for phrase, p in self._exclude if p.search(haystack)), None)
        matched = not missing and excluded is None
        return Relevance(matched, score, tuple(hits), tuple(dict.fromkeys(ignored)), missing, excluded)

    def matches(self, title: str, text: str, source: str | None = None) -> bool:
        """True when an article with this title, text and source belongs to the topic."""
        return self.relevance(title, text, source).matched


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    rules: TopicRules
    description: str = ""
    aliases: Mapping[str, str] = field(default_factory=dict)
    status_states: tuple[StatusState, ...] = ()
    status_window_days: int = 14
    workspace_id: str | None = None  # None: a config topic shared by every workspace
    status_lifecycle: str | None = None  # a built-in lifecycle (``digests.lifecycle``): states read from sentences

    def matches(self, title: str, text: str, source: str | None = None) -> bool:
        return self.rules.matches(title, text, source)

    def relevance(self, title: str, text: str, source: str | None = None) -> Relevance:
        return self.rules.relevance(title, text, source)


def _topic_from_model(topic_id: str, m: _TopicModel) -> Topic:
    groups = tuple((g,) if isinstance(g, str) else tuple(g) for g in m.all)
    return Topic(
        id=topic_id,
        title=m.title,
        description=m.description,
        rules=TopicRules(tuple(m.any), groups, tuple(m.exclude), tuple(m.sources), m.min_score),
        aliases=dict(m.aliases),
        status_states=_states(m.status) if m.status else (),
        status_window_days=(m.status.window_days or (30 if m.status.lifecycle else 14)) if m.status else 14,
        status_lifecycle=m.status.lifecycle if m.status else None,
    )


def _states(m: _StatusModel) -> tuple[StatusState, ...]:
    if m.lifecycle is None:
        return tuple(StatusState(s.id, s.label, tuple(s.cues), s.assertive) for s in m.states)
    # extra cues of a state that an agreement or a collapse asserts are cancelled by a negation or
    # hedge before them, as the lifecycle's own reading is
    return tuple(
        StatusState(state, m.labels.get(state, label), tuple(m.cues.get(state, ())), assertive=state in ASSERTIVE)
        for state, label in LIFECYCLES[m.lifecycle]
    )


def _error_key(prefix: str, loc: Sequence[int | str]) -> str:
    return ".".join([prefix, *(str(p) for p in loc)])


def load_topics(path: Path) -> dict[str, Topic]:
    """Load and validate a topics file.

    Raises:
        ConfigError: naming the file, the key and the problem.
    """
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), "-", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "-", f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "-", f"invalid TOML: {exc}") from None
    extra = set(raw) - {"topics"}
    if extra:
        raise ConfigError(str(path), sorted(extra)[0], "unknown key (expected [topics.ID] tables)")
    tables = raw.get("topics", {})
    if not isinstance(tables, dict):
        raise ConfigError(str(path), "topics", "must be a table of [topics.ID] tables")
    topics: dict[str, Topic] = {}
    for topic_id, body in tables.items():
        key = f"topics.{topic_id}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", topic_id):
            raise ConfigError(str(path), key, "topic id must be 1-32 lowercase letters, digits, - or _")
        if not isinstance(body, dict):
            raise ConfigError(str(path), key, "must be a table")
        try:
            model = _TopicModel.model_validate(body)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ConfigError(str(path), _error_key(key, err["loc"]), err["msg"]) from None
        if not model.any and not model.all:
            raise ConfigError(str(path), f"{key}.any", "a topic needs `any` or `all` phrases")
        topics[topic_id] = _topic_from_model(topic_id, model)
    aliases: dict[str, str] = {}
    for t in topics.values():
        for alias in t.aliases:
            if alias in aliases:
                raise ConfigError(
                    str(path), f"topics.{t.id}.aliases.{alias}", f"also declared by topic {aliases[alias]}"
                )
            aliases[alias] = t.id
    return topics
