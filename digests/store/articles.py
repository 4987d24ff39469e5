"""Article storage: each article is stored once.

Identity, in order: the canonical URL (tracking parameters dropped); a feed's own GUID or, within
that feed, the same body; else the same body (whitespace-insensitive hash) when one side has no
URL. A title alone never makes two inputs one article: the same headline over a different text or
at a different URL is a different article, and both are kept. A known article (same URL or GUID)
whose body or title changed is updated in place (and re-analysed); one whose content is unchanged
is left alone.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.ingest.dates import infer_date
from digests.ingest.identity import canonical_url, content_hash, normalize_text, title_key
from digests.models import Analysis, Article, ArticleInput
from digests.store import codec
from digests.store.grouping import Evidence, count_terms, index_article, place_article, signature_of
from digests.store.scope import Placement, Scope, attach, find_by_feed, may_edit, visible_clause
from digests.store.tables import ArticleRow, ArticleTopicRow, StoryRow
from digests.stories import signature
from digests.stories.evidence import day_span

__all__ = ["ArticleStore", "Outcome", "Placement", "UpsertResult"]

Analyzer = Callable[[ArticleInput], Awaitable[Analysis]]


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class UpsertResult:
    article_id: int
    story_id: int
    outcome: Outcome


class ArticleStore:
    """Port for article storage (``upsert``, ``get``, ``recent``, ``count``)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self.sessions = sessions  # for maintenance (``digests.store.regroup``)
        self.listeners: list[Callable[[UpsertResult], Awaitable[None]]] = []

    async def upsert(
        self, item: ArticleInput, analyze: Analyzer, *, now: datetime | None = None, placement: Placement | None = None
    ) -> UpsertResult:
        """Store ``item`` once; ``analyze`` runs only when the content is new or changed.

        ``placement`` says where it comes from (``scope.Placement``; default: a public source such as
        a file). A new article joins the story of a recent report of the same event, or starts one.
        """
        now = now or datetime.now(UTC)
        placement = placement or Placement()
        text = normalize_text(item.text)
        title = " ".join(item.title.split())
        url = canonical_url(item.url) if item.url else None
        digest = content_hash(text)
        tkey = title_key(title, item.source)[:512]
        async with self._sessions() as session:
            row = await self._find(session, url, digest, placement.feed_id, item.guid)
            same = (
                row is not None
                and row.content_hash == digest
                and row.title == title
                and (url is None or row.url == url or placement.feed_id is not None)
            )
            if (
                row is not None
                and not same
                and placement.scope is not None
                and not await may_edit(session, row, placement.scope)
            ):  # others see it: not ours to change
                if row.public:
                    await attach(session, row, placement, item.guid, now)
                    await session.commit()
                return UpsertResult(row.id, row.story_id, Outcome.UNCHANGED)
            if row is not None and same and row.analysis_version == codec.ANALYSIS_VERSION:
                dated = row.published is None and item.published is not None
                if dated:  # the same article, now with its date (a seed given a Published: line)
                    row.published, row.date_source = item.published, item.date_source or "given"
                    sig_now = signature(row.title, row.text, day_span(row.published))
                    row.signature = sig_now.to_json()
                    row.updated_at = now
                    ev = Evidence(session)
                    await ev.load(sig_now.features)
                    await index_article(session, row.id, sig_now, ev.weigh(sig_now), ev)
                await attach(session, row, placement, item.guid, now)
                await session.commit()
                result = UpsertResult(row.id, row.story_id, Outcome.UPDATED if dated else Outcome.UNCHANGED)
                if dated:
                    for listener in self.listeners:
                        await listener(result)
                return result
            analysis = await analyze(ArticleInput(title=title, text=text, url=url, source=item.source))
            payload = codec.analysis_to_json(analysis)
            published, date_source = item.published, item.date_source or ("given" if item.published else None)
            span = day_span(published)
            if published is None:  # the article's own URL or dateline; never the time we saw it
                published, date_source, span = infer_date(url, text)
                if row is not None and row.published is not None:
                    published, date_source, span = row.published, row.date_source, day_span(row.published)
            sig_obj = signature(title, text, span)
            sig = sig_obj.to_json()
            if row is None:
                story_id, weights, ev = await place_article(session, sig_obj, title=title, now=now)
                row = ArticleRow(
                    story_id=story_id,
                    url=url,
                    title=title,
                    title_key=tkey,
                    source=item.source,
                    author=item.author,
                    text=text,
                    content_hash=digest,
                    published=published,
                    date_source=date_source,
                    ingested_at=now,
                    updated_at=now,
                    analysis=payload,
                    analysis_version=codec.ANALYSIS_VERSION,
                    public=placement.scope is None,
                    backfill=placement.backfill,
                    label=placement.label,
                    signature=sig,
                )
                session.add(row)
                await session.flush()
                await index_article(session, row.id, sig_obj, weights, ev)
                outcome = Outcome.CREATED
            else:
                changed = row.content_hash != digest or row.title != title
                row.title, row.title_key, row.text, row.content_hash = title, tkey, text, digest
                row.url = row.url or url
                row.source = item.source or row.source
                row.author = item.author or row.author
                old = signature_of(row)
                row.published, row.date_source = published, date_source
                row.analysis, row.analysis_version = payload, codec.ANALYSIS_VERSION
                row.signature = sig
                row.updated_at = now
                if old.features != sig_obj.features:  # counts follow the text; the story stays
                    await count_terms(session, old.features, -1)
                    await count_terms(session, sig_obj.features)
                ev = Evidence(session)
                await ev.load(sig_obj.features)
                await index_article(session, row.id, sig_obj, ev.weigh(sig_obj), ev)
                outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
            await attach(session, row, placement, item.guid, now)
            await session.commit()
            result = UpsertResult(row.id, row.story_id, outcome)
        if outcome is not Outcome.UNCHANGED:
            for listener in self.listeners:  # e.g. the status index, kept up to date at ingest
                await listener(result)
        return result

    @staticmethod
    async def _find(
        session: AsyncSession, url: str | None, digest: str, feed_id: int | None, guid: str | None
    ) -> ArticleRow | None:
        if url is not None:
            found = (await session.execute(select(ArticleRow).where(ArticleRow.url == url))).scalar_one_or_none()
            if found is not None:
                return found
        if feed_id is not None:  # the same feed's item under its GUID, or with the same body at a new URL
            if guid:
                found = (await session.execute(find_by_feed(feed_id, guid=guid))).scalar_one_or_none()
                if found is not None:
                    return found
            found = (await session.execute(find_by_feed(feed_id, content_hash=digest))).scalar_one_or_none()
            if found is not None:
                return found
        # No match by title (``title_key``): a headline is not an identity. Two reports may share one
        # ("Ceasefire talks resume"), and matching on it would overwrite the first with the second.
        same_body = select(ArticleRow).where(ArticleRow.content_hash == digest)
        if url is not None:
            # With a URL, a body match only counts for an article that has no URL of its own.
            same_body = same_body.where(ArticleRow.url.is_(None))
        return (await session.execute(same_body.order_by(ArticleRow.id).limit(1))).scalar_one_or_none()

    async def known(self, url: str | None, feed_id: int | None = None, guid: str | None = None) -> bool:
        """Whether an article with this URL (canonical), or this feed's GUID, is already stored."""
        canonical = canonical_url(url) if url else None
        async with self._sessions() as session:
            if canonical is not None:
                query = select(ArticleRow.id).where(ArticleRow.url == canonical).limit(1)
                if (await session.execute(query)).first() is not None:
                    return True
            if feed_id is not None and guid:
                return (await session.execute(find_by_feed(feed_id, guid=guid))).first() is not None
            return False

    async def get(self, article_id: int) -> Article | None:
        async with self._sessions() as session:
            row = await session.get(ArticleRow, article_id)
            return codec.article(row) if row else None

    async def recent(
        self,
        *,
        since: datetime | None = None,
        limit: int = 500,
        scope: Scope | None = None,
        include_backfill: bool = False,
        offset: int = 0,
    ) -> list[Article]:
        """Articles newest first (by publication date, else first seen), optionally since a time.

        ``scope`` (platform, workspace_id) keeps what that workspace may see: public articles and its
        own feeds' ones, minus outlets it muted; None keeps everything (operators, the CLI). A new
        feed's first-poll history (backfill) is left out unless ``include_backfill``.
        """
        when = func.coalesce(ArticleRow.published, ArticleRow.ingested_at)
        query = select(ArticleRow).order_by(when.desc(), ArticleRow.id.desc()).limit(limit).offset(offset)
        if since is not None:
            query = query.where(when >= since)
        if scope is not None:
            query = query.where(visible_clause(scope))
        if not include_backfill:
            query = query.where(ArticleRow.backfill.is_(False))
        async with self._sessions() as session:
            rows: Sequence[ArticleRow] = (await session.execute(query)).scalars().all()
            return [codec.article(r) for r in rows]

    async def for_topic(
        self, topic_id: str, *, since: datetime | None = None, limit: int = 2000, scope: Scope | None = None
    ) -> list[Article]:
        """The newest ``limit`` articles of a config topic (``article_topics``, kept at ingest),
        optionally since a time, whatever else was stored after them; backfill left out."""
        query = (
            select(ArticleRow)
            .join(ArticleTopicRow, ArticleTopicRow.article_id == ArticleRow.id)
            .where(ArticleTopicRow.topic_id == topic_id, ArticleRow.backfill.is_(False))
            .order_by(ArticleTopicRow.at.desc(), ArticleRow.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(ArticleTopicRow.at >= since)
        if scope is not None:
            query = query.where(visible_clause(scope))
        async with self._sessions() as session:
            rows: Sequence[ArticleRow] = (await session.execute(query)).scalars().all()
            return [codec.article(r) for r in rows]

    async def prune_text(self, before: datetime) -> int:
        """Retention: empty the full text of articles first seen before ``before``; returns how
        many. What digests show (summary, quotes, figures, title, link) and the body hash that
        recognises a re-sent article stay; a pruned article no longer matches topics by its body."""
        async with self._sessions() as session:
            result = await session.execute(
                update(ArticleRow).where(ArticleRow.ingested_at < before, ArticleRow.text != "").values(text="")
            )
            await session.commit()
            return int(getattr(result, "rowcount", 0) or 0)

    async def version(self) -> tuple[int, str]:
        """A cheap fingerprint that changes whenever an article is added or updated (for caches)."""
        async with self._sessions() as session:
            # both maxima come from indexes (the primary key, ix_articles_updated_at): no table scan
            top = (await session.execute(select(func.max(ArticleRow.id)))).scalar_one_or_none()
            changed = (await session.execute(select(func.max(ArticleRow.updated_at)))).scalar_one_or_none()
            return int(top or 0), str(changed)

    async def count(self) -> int:
        async with self._sessions() as session:
            return int((await session.execute(select(func.count()).select_from(ArticleRow))).scalar_one())

    async def count_stories(self) -> int:
        async with self._sessions() as session:
            return int((await session.execute(select(func.count()).select_from(StoryRow))).scalar_one())
