"""Alembic environment: runs on a connection handed in by ``digests.store.engine.upgrade`` or, for the
``alembic`` command line (``alembic check``), on an engine built from ``NEWSBOT_DATABASE_URL``."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from digests.store.engine import create_engine
from digests.store.queue_schema import is_queue_table
from digests.store.search import is_search_table
from digests.store.slack_tables import SLACK_METADATA
from digests.store.tables import Base

target_metadata = [Base.metadata, SLACK_METADATA]  # slack-sdk's store tables are ours to migrate too


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # Procrastinate's tables come from its own SQL (revision 0010), not from our models; so does
        # the search index (FTS5 on SQLite, tsvector on PostgreSQL: revision 0014)
        include_name=lambda name, type_, _parents: (
            not (type_ == "table" and (is_queue_table(name) or is_search_table(name)))
        ),
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url(url: str) -> None:
    engine = create_engine(url)
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_from_url(os.environ.get("NEWSBOT_DATABASE_URL", "sqlite+aiosqlite:///data/newsbot.db")))
