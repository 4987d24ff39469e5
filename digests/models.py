"""Core domain models of newsbot.

Everything here is platform-neutral and immutable. Offsets (``start``/``end``) are Python
``str`` indices into the article text they were computed from, end-exclusive, so that
``text[start:end]`` gives back the exact span.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "Analysis",
    "Article",
    "ArticleInput",
    "Delivery",
    "DeliveryState",
    "Figure",
    "OtherQuoted",
    "Quote",
    "Story",
    "Subscription",
]


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation, verbatim: ``source_text[start:end] == text``.

    ``speaker`` is the resolved name ("Mykhailo Podolyak") when known; ``speaker_mention`` is how
    the article refers to the speaker at the attribution ("he", "Podolyak"). ``role`` is the
    speaker's title or description as the article gives it ("former U.S. Ambassador to Ukraine"),
    and ``is_key`` marks the quotes worth posting (full statements by the story's main speakers).
    ``confidence`` (0..1) is how sure the attribution is: a speaker is given only at or above the
    shipped threshold, so a quotation below it has ``speaker`` None ("unattributed"); None for quotes
    stored before confidences existed. ``speaker_type`` is "person", "organisation" or "unnamed" (a
    description kept as the speaker: "a Coca-Cola spokesman").
    """

    text: str
    speaker: str | None
    speaker_mention: str | None
    start: int
    end: int
    role: str | None = None
    is_key: bool = False
    confidence: float | None = None
    speaker_type: str | None = None


@dataclass(frozen=True, slots=True)
class OtherQuoted:
    """Words in quotation marks that are not a quotation: ``source_text[start:end] == text``.

    ``kind`` is "title" (of a work or show), "scare" (scare quotes, a term held at a distance),
    "slogan" (a slogan, sign or hashtag) or "nickname".
    """

    text: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Figure:
    """A key figure: ``text`` (for example "108 Iranian-made Shahed drones") lies inside ``sentence``.

    ``start``/``end`` locate ``text`` in the article text; ``value`` is the number it states.
    """

    text: str
    value: float
    sentence: str
    start: int
    end: int
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """What text analysis found in one article. Summary sentences are verbatim, in source order."""

    summary: tuple[str, ...]
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    other_quoted: tuple[OtherQuoted, ...] = ()
    language: str = "en"  # ISO 639-1 code of the article's language, as detected


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """An article as it arrives from any source (file, feed, page), before storage."""

    title: str
    text: str
    url: str | None = None
    published: datetime | None = None
    source: str | None = None
    author: str | None = None
    origin: str | None = None  # where it came from, for error messages: "seeds/x.txt:3"
    guid: str | None = None  # the feed item's id (GUID / Atom id / JSON Feed id), unique within its feed
    date_source: str | None = None  # where ``published`` came from: "feed", "page", "file"


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article with its analysis."""

    id: int
    story_id: int
    title: str
    text: str
    url: str | None
    source: str | None
    published: datetime | None
    ingested_at: datetime
    analysis: Analysis
    author: str | None = None
    label: str | None = None  # the outlet's label, e.g. "state media", shown beside its links
    date_source: str | None = None  # feed, page, file, url, dateline, given; None: date unknown

    @property
    def when(self) -> datetime:
        """The article's time: its publication date when known, else when the bot first saw it."""
        return self.published or self.ingested_at

    @property
    def dated(self) -> bool:
        return self.published is not None


@dataclass(frozen=True, slots=True)
class Story:
    """One event, reported by one or more articles (newest first)."""

    id: int
    title: str
    articles: tuple[Article, ...] = field(default_factory=tuple)

    @property
    def when(self) -> datetime:
        """The newest publication date of its articles; when none has one, when it was first seen."""
        dated = [a.published for a in self.articles if a.published is not None]
        return max(dated) if dated else max(a.ingested_at for a in self.articles)

    @property
    def dated(self) -> bool:
        """False when no article of the story has a publication date ("date unknown")."""
        return any(a.published is not None for a in self.articles)


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel's subscription to a topic on a schedule."""

    id: int
    platform: str
    workspace_id: str
    channel_id: str
    topic_id: str
    schedule: str
    timezone: str
    max_stories: int = 5
    mode: str = "digest"
    paused_reason: str | None = None
    created_at: datetime | None = None
    quiet_hours: str | None = None  # "22:00-07:00" local time: no posts then
    on_empty: str = "skip"  # "skip" or "say": what a slot with nothing new does


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    POSTING = "posting"
    POSTED = "posted"
    SKIPPED = "skipped"  # nothing new to post in that slot
    FAILED = "failed"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One scheduled post: a subscription's slot. Unique on (subscription_id, slot)."""

    id: int
    subscription_id: int
    slot: datetime
    state: DeliveryState
    attempts: int = 0
    message_id: str | None = None
    error: str | None = None
    updated_at: datetime | None = None
