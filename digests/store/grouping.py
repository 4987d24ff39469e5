"""Choosing the story of a new article at ingest, from the stories of recent articles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.store.tables import ArticleRow
from digests.stories import Candidate, Signature, best_story, signature
from digests.stories.match import WINDOW

__all__ = ["MAX_CANDIDATES", "story_for"]

MAX_CANDIDATES = 400


async def story_for(session: AsyncSession, sig: Signature, when: datetime) -> int | None:
    """The id of the story a new article with ``sig`` at ``when`` belongs to, or None for a new one."""
    at = func.coalesce(ArticleRow.published, ArticleRow.ingested_at)
    rows = (
        await session.execute(
            select(ArticleRow.story_id, ArticleRow.signature, ArticleRow.title, ArticleRow.text, at)
            .where(at >= when - WINDOW, at <= when + WINDOW)
            .order_by(at.desc())
            .limit(MAX_CANDIDATES)
        )
    ).all()
    candidates = []
    for row in rows:
        stored: dict[str, Any] | None = row[1]
        cand_sig = Signature.from_json(stored) if stored else signature(str(row[2]), str(row[3]))
        candidates.append(Candidate(int(row[0]), row[4], cand_sig))
    return best_story(sig, when, candidates)
