"""Storage: async SQLAlchemy on SQLite (embedded default) or PostgreSQL, schema owned by Alembic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from digests.store.articles import ArticleStore, Outcome, UpsertResult
from digests.store.deliveries import DeliveryStore
from digests.store.engine import create_engine, upgrade
from digests.store.feeds import FeedStore
from digests.store.subscriptions import SubscriptionStore, WorkspaceSettings

__all__ = [
    "ArticleStore",
    "Database",
    "DeliveryStore",
    "FeedStore",
    "Outcome",
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

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (and by default migrate) the database at ``url``."""
    engine = create_engine(url)
    if migrate:
        await upgrade(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False, class_=AsyncSession)
    return Database(
        engine, ArticleStore(sessions), SubscriptionStore(sessions), DeliveryStore(sessions), FeedStore(sessions)
    )
