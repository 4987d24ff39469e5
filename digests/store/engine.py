"""Async SQLAlchemy engine creation and schema migration at start.

SQLite (the embedded default) runs in WAL mode with a busy timeout and foreign keys on. Migration
takes a lock so that several processes starting together migrate once: a PostgreSQL advisory lock,
or on SQLite an exclusive ``flock`` on a file beside the database.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

__all__ = [
    "DATABASE_URL_EXAMPLES",
    "DatabaseUrlError",
    "alembic_config",
    "async_database_url",
    "create_engine",
    "current_revision",
    "head_revision",
    "upgrade",
]

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
_PG_MIGRATION_LOCK = 0x6E657773  # "news"

DATABASE_URL_EXAMPLES = "sqlite:///data/newsbot.db or postgresql://user:password@host/newsbot"

# The URL people write → the async driver newsbot runs it with. A URL that names no driver, or a
# synchronous one (SQLAlchemy's defaults pysqlite and psycopg2), gets the async driver installed
# with newsbot; an async driver given explicitly is kept.
_ASYNC_DRIVERS: dict[str, str] = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",  # the scheme Heroku and libpq tools print
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+pg8000": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+psycopg",  # psycopg 3 runs async in SQLAlchemy
}


class DatabaseUrlError(ValueError):
    """A database URL newsbot cannot run on; ``str()`` says why and shows a URL that works."""


def async_database_url(url: str) -> str:
    """``url`` with the async driver newsbot uses: ``sqlite:///x.db`` → ``sqlite+aiosqlite:///x.db``,
    ``postgresql://host/db`` (or ``postgres://``) → ``postgresql+asyncpg://host/db``.

    Raises:
        DatabaseUrlError: not a URL, or a database or driver newsbot does not run on.
    """
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep or not scheme:
        raise DatabaseUrlError(f"{text!r} is not a database URL; for example {DATABASE_URL_EXAMPLES}")
    driver = _ASYNC_DRIVERS.get(scheme.lower())
    if driver is None:
        raise DatabaseUrlError(
            f"newsbot runs on SQLite or PostgreSQL, not {scheme!r}; for example {DATABASE_URL_EXAMPLES}"
        )
    try:
        make_url(f"{driver}://{rest}")
    except ArgumentError:
        raise DatabaseUrlError(f"cannot read the URL {scheme}://...; for example {DATABASE_URL_EXAMPLES}") from None
    return f"{driver}://{rest}"


def create_engine(url: str) -> AsyncEngine:
    """Create the async engine for ``url`` (plain ``sqlite://`` and ``postgresql://`` URLs get their
    async driver); creates the SQLite file's folder when missing. Raises ``DatabaseUrlError``."""
    url = async_database_url(url)
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


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade_sync(conn: Connection, revision: str) -> tuple[str | None, str | None]:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        conn.commit()
        try:
            before = _revision(conn)
            command.upgrade(cfg, revision)
            conn.commit()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_MIGRATION_LOCK})
            conn.commit()
    else:
        before = _revision(conn)
        command.upgrade(cfg, revision)
        conn.commit()
    return before, _revision(conn)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision`` under the migration lock; returns the revisions before
    and after. Alembic's own log lines are for ``--verbose`` (``bot.logs``); when a migration
    actually ran, one line says so here.

    On SQLite the lock is an exclusive ``flock`` on a file beside the database, taken in a worker
    thread so that waiting for it never blocks the event loop.
    """
    lock_path = _lock_path(engine.url) if engine.dialect.name == "sqlite" else None
    held = await asyncio.to_thread(_acquire, lock_path) if lock_path else None
    try:
        async with engine.connect() as conn:
            before, after = await conn.run_sync(_upgrade_sync, revision)
    finally:
        if held is not None:
            await asyncio.to_thread(_release, held)
    if before != after:
        log.info("database migrated from revision %s to %s", before or "(empty)", after)
    return before, after


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None for an empty database)."""

    async with engine.connect() as conn:
        return await conn.run_sync(_revision)
