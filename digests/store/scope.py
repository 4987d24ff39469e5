"""Who sees an article, and which source may change it.

Files and config feeds are **public**: every workspace sees their articles. A feed added from chat
belongs to its workspace: its articles are linked to it (``feed_items``) and seen only there. A
workspace feed never changes what anyone else sees: it may edit an article only when no public
source and no other workspace's feed has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from digests.store.tables import ArticleRow, FeedItemRow, FeedRow, OutletMuteRow

__all__ = ["Placement", "Scope", "attach", "find_by_feed", "may_edit", "visible_clause"]

Scope = tuple[str, str]  # (platform, workspace_id)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an incoming article comes from: a feed (owned by ``scope``), or a public source when
    ``scope`` is None. ``backfill`` items are stored but kept out of digests."""

    feed_id: int | None = None
    scope: Scope | None = None
    backfill: bool = False
    label: str | None = None


def _owned_by(scope: Scope) -> ColumnElement[bool]:
    return and_(FeedRow.owner_platform == scope[0], FeedRow.owner_workspace == scope[1])


def visible_clause(scope: Scope) -> ColumnElement[bool]:
    """SQL condition: the article is visible in ``scope`` and not from an outlet muted there."""
    linked = exists(
        select(FeedItemRow.article_id)
        .join(FeedRow, FeedRow.id == FeedItemRow.feed_id)
        .where(FeedItemRow.article_id == ArticleRow.id, _owned_by(scope))
    )
    muted = exists(
        select(OutletMuteRow.outlet).where(
            OutletMuteRow.platform == scope[0],
            OutletMuteRow.workspace_id == scope[1],
            OutletMuteRow.outlet == func.lower(func.coalesce(ArticleRow.source, "")),
        )
    )
    return and_(or_(ArticleRow.public.is_(True), linked), not_(muted))


async def may_edit(session: AsyncSession, row: ArticleRow, scope: Scope) -> bool:
    """Whether a feed of ``scope`` may change ``row``: only if nobody else sees it."""
    if row.public:
        return False
    others = select(FeedItemRow.feed_id).join(FeedRow, FeedRow.id == FeedItemRow.feed_id)
    others = others.where(
        FeedItemRow.article_id == row.id,
        or_(FeedRow.owner_platform.is_(None), not_(_owned_by(scope))),
    )
    return (await session.execute(others.limit(1))).first() is None


async def attach(session: AsyncSession, row: ArticleRow, placement: Placement, guid: str | None, now: datetime) -> None:
    """Record where ``row`` was seen: link it to the feed (keeping the newest GUID), make it public
    for a public source, and let a fresh non-backfill sighting put it back into digests."""
    fresh = placement.feed_id is None
    if placement.feed_id is not None:
        link = await session.get(FeedItemRow, (placement.feed_id, row.id))
        if link is None:
            session.add(FeedItemRow(feed_id=placement.feed_id, article_id=row.id, guid=_guid(guid), first_seen=now))
            fresh = True
        elif guid and link.guid != _guid(guid):
            link.guid = _guid(guid)
    if placement.scope is None:
        row.public = True
    if fresh and not placement.backfill:
        row.backfill = False
    if placement.label and not row.label:
        row.label = placement.label


def _guid(guid: str | None) -> str | None:
    return guid[:1024] if guid else None


def find_by_feed(feed_id: int, *, guid: str | None = None, content_hash: str | None = None) -> Select[ArticleRow]:
    """The article linked to ``feed_id`` under ``guid``, or with body hash ``content_hash``."""
    query = select(ArticleRow).join(FeedItemRow, FeedItemRow.article_id == ArticleRow.id)
    query = query.where(FeedItemRow.feed_id == feed_id)
    if guid is not None:
        query = query.where(FeedItemRow.guid == _guid(guid))
    if content_hash is not None:
        query = query.where(ArticleRow.content_hash == content_hash)
    return query.order_by(ArticleRow.id).limit(1)
