"""The status index: which topics each article matches and its status cue sentences, written at
ingest (an ``ArticleStore`` listener) so that ``/news status`` reads only the evidence of the
topic's window instead of re-reading the corpus; and the last answer given in each channel."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.models import Article
from digests.status import Cue, Evidence, find_cues
from digests.store import codec
from digests.store.articles import UpsertResult
from digests.store.scope import Scope, visible_clause
from digests.store.tables import (
    ArticleRow,
    ArticleTopicRow,
    FeedRow,
    OutletMuteRow,
    PlatformStateRow,
    StatusAnswerRow,
    StatusEvidenceRow,
)
from digests.topics import Topic

__all__ = ["StatusIndex", "topics_fingerprint"]

_STATE_KEY = "status_index.topics"


def topics_fingerprint(topics: Mapping[str, Topic]) -> str:
    """Changes whenever a topic's rules or status cues change (the index is then rebuilt)."""
    data = [
        (
            t.id,
            t.rules.any,
            t.rules.all,
            t.rules.exclude,
            t.rules.sources,
            [(s.id, s.cues, s.assertive) for s in t.status_states],
        )
        for t in sorted(topics.values(), key=lambda t: t.id)
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class StatusIndex:
    """Port: ``index`` (at ingest), ``evidence`` and ``recent`` (at answer time), ``rebuild``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], topics: Mapping[str, Topic]) -> None:
        self._sessions = sessions
        self.topics = topics

    async def index(self, result: UpsertResult) -> None:
        """Re-index one stored article (called after it was added or changed)."""
        async with self._sessions() as session:
            row = await session.get(ArticleRow, result.article_id)
            if row is None:
                return
            await self._index_row(session, row)
            await session.commit()

    async def _index_row(self, session: AsyncSession, row: ArticleRow) -> None:
        await session.execute(delete(ArticleTopicRow).where(ArticleTopicRow.article_id == row.id))
        await session.execute(delete(StatusEvidenceRow).where(StatusEvidenceRow.article_id == row.id))
        at = row.published or row.ingested_at
        for topic in self.topics.values():
            if not topic.matches(row.title, row.text, row.source):
                continue
            session.add(ArticleTopicRow(article_id=row.id, topic_id=topic.id, at=at))
            for cue in find_cues(topic, row.text):
                session.add(
                    StatusEvidenceRow(
                        topic_id=topic.id,
                        article_id=row.id,
                        state_id=cue.state_id,
                        sentence=cue.sentence,
                        cues=cue.cues,
                        strength=cue.strength,
                        at=at,
                        title=row.title,
                        url=row.url,
                        source=row.source,
                        published=row.published,
                    )
                )

    async def rebuild_if_stale(self) -> int:
        """Rebuild the whole index when the topics changed since it was built; returns articles indexed."""
        fingerprint = topics_fingerprint(self.topics)
        async with self._sessions() as session:
            state = await session.get(PlatformStateRow, _STATE_KEY)
            if state is not None and state.value == fingerprint:
                return 0
            await session.execute(delete(ArticleTopicRow))
            await session.execute(delete(StatusEvidenceRow))
            count = 0
            ids = (await session.execute(select(ArticleRow.id).order_by(ArticleRow.id))).scalars().all()
            for start in range(0, len(ids), 200):
                rows = (
                    await session.execute(select(ArticleRow).where(ArticleRow.id.in_(ids[start : start + 200])))
                ).scalars()
                for row in rows:
                    await self._index_row(session, row)
                    count += 1
                await session.flush()
            if state is None:
                session.add(PlatformStateRow(key=_STATE_KEY, value=fingerprint, updated_at=datetime.now(UTC)))
            else:
                state.value, state.updated_at = fingerprint, datetime.now(UTC)
            await session.commit()
            return count

    async def evidence(
        self, topic_id: str, *, since: datetime, until: datetime, scope: Scope | None = None
    ) -> list[Evidence]:
        """Cue sentences of a topic published in [since, until], visible in ``scope``."""
        e = StatusEvidenceRow
        query = select(
            e.sentence, e.state_id, e.cues, e.strength, e.article_id, e.at, e.title, e.url, e.source, e.published
        ).where(e.topic_id == topic_id, e.at >= since, e.at <= until)
        async with self._sessions() as session:
            # the common case (no workspace-owned feeds, no mutes) reads one indexed table
            if scope is not None and not await self._sees_everything(session, scope):
                query = query.join(ArticleRow, ArticleRow.id == e.article_id).where(visible_clause(scope))
            return [
                Evidence(
                    cue=Cue(r.sentence, r.state_id, r.cues, r.strength),
                    article_id=r.article_id,
                    title=r.title,
                    url=r.url,
                    source=r.source,
                    published=r.published,
                    at=r.at,
                )
                for r in (await session.execute(query)).all()
            ]

    @staticmethod
    async def _sees_everything(session: AsyncSession, scope: Scope) -> bool:
        """True when no feed belongs to any workspace (every article is public) and ``scope`` mutes
        no outlet: then visibility needs no per-row check."""
        private = await session.execute(select(FeedRow.id).where(FeedRow.owner_platform.is_not(None)).limit(1))
        if private.first() is not None:
            return False
        muted = await session.execute(
            select(OutletMuteRow.outlet)
            .where(OutletMuteRow.platform == scope[0], OutletMuteRow.workspace_id == scope[1])
            .limit(1)
        )
        return muted.first() is None

    async def recent(
        self, topic_id: str, *, until: datetime, limit: int = 20, scope: Scope | None = None
    ) -> list[Article]:
        """The newest articles of a topic published up to ``until``."""
        query = (
            select(ArticleRow)
            .join(ArticleTopicRow, ArticleTopicRow.article_id == ArticleRow.id)
            .where(ArticleTopicRow.topic_id == topic_id, ArticleTopicRow.at <= until)
            .order_by(ArticleTopicRow.at.desc(), ArticleRow.id.desc())
            .limit(limit)
        )
        if scope is not None:
            query = query.where(visible_clause(scope))
        async with self._sessions() as session:
            rows: Sequence[ArticleRow] = (await session.execute(query)).scalars().all()
            return [codec.article(r) for r in rows]

    async def count(self, topic_id: str) -> int:
        async with self._sessions() as session:
            query = select(func.count()).select_from(ArticleTopicRow).where(ArticleTopicRow.topic_id == topic_id)
            return int((await session.execute(query)).scalar_one())

    async def last_answer(
        self, platform: str, workspace_id: str, channel_id: str, topic_id: str
    ) -> tuple[str | None, datetime] | None:
        async with self._sessions() as session:
            row = await session.get(StatusAnswerRow, (platform, workspace_id, channel_id, topic_id))
            return (row.state_id, row.answered_at) if row else None

    async def record_answer(
        self, platform: str, workspace_id: str, channel_id: str, topic_id: str, state_id: str | None, at: datetime
    ) -> None:
        async with self._sessions() as session:
            row = await session.get(StatusAnswerRow, (platform, workspace_id, channel_id, topic_id))
            if row is None:
                row = StatusAnswerRow(
                    platform=platform, workspace_id=workspace_id, channel_id=channel_id, topic_id=topic_id
                )
                session.add(row)
            row.state_id, row.answered_at = state_id, at
            await session.commit()
