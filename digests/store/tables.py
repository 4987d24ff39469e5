"""Table definitions. Alembic owns the schema (``digests/migrations``); these declarations must match
it, which ``alembic check`` verifies in ``make test``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ArticleRow",
    "ArticleTopicRow",
    "Base",
    "DeliveryRow",
    "FeedItemRow",
    "FeedRow",
    "OutletMuteRow",
    "PlatformStateRow",
    "QuoteSpeakerRow",
    "StatusAnswerRow",
    "StatusEvidenceRow",
    "StoryKeyRow",
    "StoryLineageRow",
    "StoryRow",
    "SubscriptionRow",
    "TermCountRow",
    "WorkspaceRow",
    "WorkspaceTopicRow",
]


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes in, timezone-aware UTC datetimes out, on SQLite and PostgreSQL.

    SQLite has no timezone type and returns naive values; we store UTC and re-attach it.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        from datetime import UTC

        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        from datetime import UTC

        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class StoryRow(Base):
    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # issue 15: first posted to a channel (then grouping at ingest never splits it)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ArticleRow(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_key: Mapped[str] = mapped_column(String(512), index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # index: ArticleStore.version
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON)
    analysis_version: Mapped[int] = mapped_column(Integer)
    # issue 4: visible to every workspace (files, config feeds) or only via workspace feeds (feed_items)
    public: Mapped[bool] = mapped_column(Boolean, server_default=true())
    backfill: Mapped[bool] = mapped_column(Boolean, server_default=false())  # first-poll history: not in digests
    label: Mapped[str | None] = mapped_column(String(100))  # the outlet's label ("state media")
    signature: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # digests.stories.Signature
    # where ``published`` came from: feed, page, file, url, dateline; "url-month" or None: no date
    date_source: Mapped[str | None] = mapped_column(String(16))


class TermCountRow(Base):
    """Document frequencies of grouping features (``digests.stories.evidence.term_key``), kept at
    ingest; key 0 holds the number of articles counted."""

    __tablename__ = "term_counts"
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    df: Mapped[int] = mapped_column(Integer)


class StoryKeyRow(Base):
    """The candidate index of grouping: an article's rarest features and MinHash bands, with the
    span of days it may have been published in (both None when undated)."""

    __tablename__ = "story_keys"
    __table_args__ = (Index("ix_story_keys_key_lo", "key", "lo"), Index("ix_story_keys_article_id", "article_id"))
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    lo: Mapped[int | None] = mapped_column(Integer)
    hi: Mapped[int | None] = mapped_column(Integer)


class StoryLineageRow(Base):
    """``stories regroup`` made ``story_id`` from articles of ``parent_id``: a story made only of
    articles of stories posted to a channel is not new there."""

    __tablename__ = "story_lineage"
    __table_args__ = (Index("ix_story_lineage_parent_id", "parent_id"),)
    story_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    parent_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    admin_ids: Mapped[list[str]] = mapped_column(JSON)
    ops_channel: Mapped[str | None] = mapped_column(String(64))  # told about paused subscriptions


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("platform", "workspace_id", "channel_id", "topic_id", name="uq_subscription_target"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    workspace_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    topic_id: Mapped[str] = mapped_column(String(64))
    schedule: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    max_stories: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    paused_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    quiet_hours: Mapped[str | None] = mapped_column(String(16))
    on_empty: Mapped[str] = mapped_column(String(8), server_default="skip")


class WorkspaceTopicRow(Base):
    __tablename__ = "workspace_topics"
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    phrases: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "slot", name="uq_delivery_slot"),
        Index("ix_deliveries_state", "state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    slot: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str | None] = mapped_column(String(128))
    error: Mapped[str | None] = mapped_column(Text)
    story_ids: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlatformStateRow(Base):
    """Small key/value state owned by adapters (Discord: the hash of the last synced commands)."""

    __tablename__ = "platform_state"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FeedRow(Base):
    """A polled feed: from ``config/feeds.toml`` (no owner, serves everyone) or added by a workspace."""

    __tablename__ = "feeds"
    __table_args__ = (
        UniqueConstraint("url", "owner_platform", "owner_workspace", name="uq_feed_owner_url"),
        Index("ix_feeds_next_poll", "next_poll"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    name: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(100))
    owner_platform: Mapped[str | None] = mapped_column(String(20))
    owner_workspace: Mapped[str | None] = mapped_column(String(64))
    added_by: Mapped[str | None] = mapped_column(String(64))
    interval_seconds: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16))
    failures: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_success: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_attempt: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_poll: Mapped[datetime] = mapped_column(UTCDateTime())
    item_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FeedItemRow(Base):
    """Which feed delivered which article, under which GUID (GUIDs are unique only within a feed)."""

    __tablename__ = "feed_items"
    __table_args__ = (
        Index("ix_feed_items_guid", "feed_id", "guid"),
        Index("ix_feed_items_article_id", "article_id"),
    )
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    guid: Mapped[str | None] = mapped_column(String(1024))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())


class OutletMuteRow(Base):
    """An outlet (article source name, casefolded) a workspace does not want in its digests."""

    __tablename__ = "outlet_mutes"
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    outlet: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArticleTopicRow(Base):
    """Which topics an article matches, kept at ingest (``digests.store.status_index``)."""

    __tablename__ = "article_topics"
    __table_args__ = (Index("ix_article_topics_topic_at", "topic_id", "at"),)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())  # the article's time (published, else first seen)


class StatusEvidenceRow(Base):
    """A sentence carrying a status cue of a topic, kept at ingest."""

    __tablename__ = "status_evidence"
    __table_args__ = (
        # covering: an answer reads everything scoring needs of its window from this index alone
        Index(
            "ix_status_evidence_window",
            "topic_id",
            "at_us",
            "id",
            "article_id",
            "state_id",
            "wire_key",
            "sentence_key",
            "outlet_key",
            "cues",
            "strength",
            "public",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(32))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    state_id: Mapped[str] = mapped_column(String(32))
    sentence: Mapped[str] = mapped_column(Text)
    cues: Mapped[int] = mapped_column(Integer)
    strength: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # copied from the article at ingest, so that an answer reads one table
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2048))
    source: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # what scoring needs, as small values (``digests.status.CueRef``), computed at ingest
    at_us: Mapped[int] = mapped_column(BigInteger)  # ``at`` in microseconds since the epoch
    wire_key: Mapped[int] = mapped_column(BigInteger)  # the normalised sentence: wire copies share it
    sentence_key: Mapped[int] = mapped_column(BigInteger)  # the sentence as written
    outlet_key: Mapped[int] = mapped_column(BigInteger)  # source, else title
    # the article was public when indexed (it never stops being public; when false, the answer checks it)
    public: Mapped[bool] = mapped_column(Boolean)


class StatusAnswerRow(Base):
    """The last status answer given in a channel, for "what changed since"."""

    __tablename__ = "status_answers"
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    state_id: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuoteSpeakerRow(Base):
    """Who is quoted where: one row per attributed quote of an article, kept at ingest
    (``digests.store.search``), so that ``/news quotes PERSON`` reads an index, not the corpus."""

    __tablename__ = "quote_speakers"
    __table_args__ = (
        Index("ix_quote_speakers_surname_at", "surname_key", "at"),
        Index("ix_quote_speakers_name_key", "name_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    quote_no: Mapped[int] = mapped_column(Integer)  # its place in the article's analysis.quotes
    speaker: Mapped[str] = mapped_column(String(300))  # the full name the article gives
    name_key: Mapped[str] = mapped_column(String(300))  # the name folded: "volodymyr zelensky"
    surname_key: Mapped[str] = mapped_column(String(100))  # its last name: "zelensky"
    at: Mapped[datetime] = mapped_column(UTCDateTime())  # the article's time (published, else first seen)
    is_key: Mapped[bool] = mapped_column(Boolean)
