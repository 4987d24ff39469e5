"""Shared fixtures, and the guard that fails any test opening a socket to anything but loopback."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO.parent / "shared" / "datasets"
SEED = REPO / "seeds" / "cnn-drone-attacks-persist-despite-trump-putin-call.txt"


class NonLoopbackConnection(AssertionError):
    pass


def _check_address(address: Any) -> None:
    if not isinstance(address, tuple):  # AF_UNIX paths are local
        return
    host = address[0]
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        if host == "localhost":
            return
        raise NonLoopbackConnection(f"test tried to connect to {host!r}: only loopback is allowed") from None
    if not ip.is_loopback:
        raise NonLoopbackConnection(f"test tried to connect to {host}: only loopback is allowed")


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check_address(address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture
def datasets() -> Path:
    if not DATASETS.is_dir():
        pytest.skip("../shared/datasets is not present on this machine")
    return DATASETS


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from bot.settings import Settings

    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}",
        config_dir=REPO / "config",
        seeds_dir=None,
    )


@pytest.fixture
async def svc(settings: Any) -> AsyncIterator[Any]:
    from bot.app import open_services

    services = await open_services(settings)
    yield services
    await services.db.close()


# --- databases: every store test runs on SQLite and on PostgreSQL --------------------------------

_PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
_pg_skipped: list[str] = []


def postgres_base_url() -> str | None:
    """The PostgreSQL server for tests: NEWSBOT_TEST_POSTGRES_URL, else one answering on 127.0.0.1:5432."""
    url = os.environ.get("NEWSBOT_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=0.5).close()
    except OSError:
        return None
    return _PG_DEFAULT


def _require_postgres() -> str:
    base = postgres_base_url()
    if base is None:
        if os.environ.get("NEWSBOT_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL tests are required here (NEWSBOT_REQUIRE_POSTGRES) but no server answers")
        _pg_skipped.append("x")
        pytest.skip("PostgreSQL not available: set NEWSBOT_TEST_POSTGRES_URL or run a server on 127.0.0.1:5432")
    return base


async def _pg_admin(base: str, sql: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(base)
    conn = await asyncpg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password,
        database="postgres",
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def fresh_database_url(kind: str, sqlite_path: Path, prefix: str = "newsbot_test") -> AsyncIterator[str]:
    """A fresh, empty database URL: SQLite at ``sqlite_path``, or a new PostgreSQL database that is
    dropped afterwards (skipped, or failed where required, when no server answers)."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{sqlite_path}"
        return
    from sqlalchemy.engine import make_url

    base = _require_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    await _pg_admin(base, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        await _pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database URL on each engine."""
    async with fresh_database_url(request.param, tmp_path / "store.db") as url:
        yield url


@pytest.fixture
async def store_svc(db_url: str, settings: Any) -> AsyncIterator[Any]:
    """Services on each database engine."""
    from bot.app import open_services

    services = await open_services(settings.model_copy(update={"database_url": db_url}))
    yield services
    await services.db.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _pg_skipped:
        terminalreporter.write_line(
            f"NOTE: {len(_pg_skipped)} PostgreSQL test runs were SKIPPED (no server); they run where one answers.",
            yellow=True,
        )
