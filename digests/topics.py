"""Topics: loading ``config/topics.toml`` and matching articles against a topic's rules.

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

__all__ = ["StatusState", "Topic", "TopicRules", "load_topics", "phrase_pattern"]


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Compile a phrase into a word-bounded pattern; ``re:`` prefixes a raw regular expression."""
    if phrase.startswith("re:"):
        return re.compile(phrase[3:], re.IGNORECASE)
    words = [re.escape(w) for w in phrase.split()]
    body = r"[\s\-–]+".join(words)
    flags = 0 if (phrase.isupper() and len(phrase) <= 5) else re.IGNORECASE
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
    window_days: int = Field(default=14, ge=1, le=365)

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


@dataclass(frozen=True)
class TopicRules:
    """Match rules: any of ``any``; every group of ``all``; none of ``exclude``; only ``sources``."""

    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @cached_property
    def _any(self) -> tuple[re.Pattern[str], ...]:
        return tuple(phrase_pattern(p) for p in self.any)

    @cached_property
    def _all(self) -> tuple[tuple[re.Pattern[str], ...], ...]:
        return tuple(tuple(phrase_pattern(p) for p in group) for group in self.all)

    @cached_property
    def _exclude(self) -> tuple[re.Pattern[str], ...]:
        return tuple(phrase_pattern(p) for p in self.exclude)

    def matches(self, title: str, text: str, source: str | None = None) -> bool:
        """True when an article with this title, text and source belongs to the topic."""
        if self.sources and (source or "").casefold() not in {s.casefold() for s in self.sources}:
            return False
        haystack = f"{title}\n{text}"
        if self._any and not any(p.search(haystack) for p in self._any):
            return False
        if not all(any(p.search(haystack) for p in group) for group in self._all):
            return False
        return not any(p.search(haystack) for p in self._exclude)


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


def _topic_from_model(topic_id: str, m: _TopicModel) -> Topic:
    groups = tuple((g,) if isinstance(g, str) else tuple(g) for g in m.all)
    return Topic(
        id=topic_id,
        title=m.title,
        description=m.description,
        rules=TopicRules(tuple(m.any), groups, tuple(m.exclude), tuple(m.sources)),
        aliases=dict(m.aliases),
        status_states=_states(m.status) if m.status else (),
        status_window_days=m.status.window_days if m.status else 14,
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
