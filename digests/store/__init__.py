"""Storage: async SQLAlchemy on SQLite (embedded default) or PostgreSQL, schema owned by Alembic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from digests.store.articles import ArticleStore, Outcome, UpsertResult
from digests.store.deliveries import DeliveryStore
from digests.store.engine import create_engine, upgrade
from digests.store.feeds import FeedStore
from digests.store.search import SearchIndex
from digests.store.status_index import StatusIndex
from digests.store.subscriptions import SubscriptionStore, WorkspaceSettings

__all__ = [
    "ArticleStore",
    "Database",
    "DeliveryStore",
    "FeedStore",
    "Outcome",
    "SearchIndex",
    "StatusIndex",
    "SubscriptionStore",
    "UpsertResult",
    "WorkspaceSettings",
    "open_database",
]


@dataclass(frozen=True)
class Database:
    """The engine and the stores built on it."""

    engine: AsyncEngine
    articles: ArticleStore
    subscriptions: SubscriptionStore
    deliveries: DeliveryStore
    feeds: FeedStore
    status: StatusIndex
    search: SearchIndex

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (and by default migrate) the database at ``url``."""
    engine = create_engine(url)
    if migrate:
        await upgrade(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False, class_=AsyncSession)
    articles = ArticleStore(sessions)
    status = StatusIndex(sessions, {})  # open_services gives it the topics
    search = SearchIndex(sessions)
    articles.listeners.append(status.index)
    articles.listeners.append(search.index_quotes)
    return Database(
        engine, articles, SubscriptionStore(sessions), DeliveryStore(sessions), FeedStore(sessions), status, search
    )
