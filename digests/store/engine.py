"""Async SQLAlchemy engine creation and schema migration at start.

SQLite (the embedded default) runs in WAL mode with a busy timeout and foreign keys on. Migration
takes a lock so that several processes starting together migrate once: a PostgreSQL advisory lock,
or on SQLite an exclusive ``flock`` on a file beside the database.
"""

from __future__ import annotations

import asyncio
import fcntl
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

__all__ = ["alembic_config", "create_engine", "current_revision", "head_revision", "upgrade"]

SQLITE_BUSY_TIMEOUT_MS = 10_000
_PG_MIGRATION_LOCK = 0x6E657773  # "news"


def create_engine(url: str) -> AsyncEngine:
    """Create the async engine for ``url``; creates the SQLite file's folder when missing."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("digests") / "migrations"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _lock_path(url: URL) -> Path | None:
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db).with_name(Path(db).name + ".migrate.lock")


def _acquire(path: Path) -> TextIO:
    fh = open(path, "w")  # noqa: SIM115 - held until _release
    fcntl.flock(fh, fcntl.LOCK_EX)
    return fh


def _release(fh: TextIO) -> None:
    fcntl.flock(fh, fcntl.LOCK_UN)
    fh.close()


def _upgrade_sync(conn: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        conn.commit()
        try:
            command.upgrade(cfg, revision)
            conn.commit()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
            conn.commit()
    else:
        command.upgrade(cfg, revision)
        conn.commit()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` under the migration lock.

    On SQLite the lock is an exclusive ``flock`` on a file beside the database, taken in a worker
    thread so that waiting for it never blocks the event loop.
    """
    lock_path = _lock_path(engine.url) if engine.dialect.name == "sqlite" else None
    held = await asyncio.to_thread(_acquire, lock_path) if lock_path else None
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_upgrade_sync, revision)
    finally:
        if held is not None:
            await asyncio.to_thread(_release, held)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None for an empty database)."""

    def _current(conn: Connection) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(_current)
