"""Plain database URLs (``sqlite:///x.db``, ``postgresql://host/db``) work for every command; an
unknown one stops with a short message naming the variable and a URL that works (issue 18)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from bot.settings import Settings
from digests.store.engine import DatabaseUrlError, async_database_url
from tests.conftest import SEED, _pg_admin, _require_postgres
from tests.firsthour.conftest import CliRun


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("sqlite:///data/newsbot.db", "sqlite+aiosqlite:///data/newsbot.db"),
        ("sqlite+pysqlite:////tmp/x.db", "sqlite+aiosqlite:////tmp/x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://news@db.example/newsbot", "postgresql+asyncpg://news@db.example/newsbot"),
        ("postgres://news:pw@db.example:5433/newsbot", "postgresql+asyncpg://news:pw@db.example:5433/newsbot"),
        ("postgresql+psycopg2://db.example/newsbot", "postgresql+asyncpg://db.example/newsbot"),
        ("postgresql+asyncpg://db.example/newsbot", "postgresql+asyncpg://db.example/newsbot"),
        ("postgresql+psycopg://db.example/newsbot", "postgresql+psycopg://db.example/newsbot"),
        ("  sqlite:///x.db\n", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_the_urls_people_write_get_the_async_driver(given: str, used: str) -> None:
    assert async_database_url(given) == used
    assert Settings(database_url=given).database_url == used


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql+foo://h/db", "sqlite+bogus:///x.db", "data/x.db", ""])
def test_an_unknown_url_is_refused_with_a_working_example(url: str) -> None:
    with pytest.raises(DatabaseUrlError, match=re.escape("sqlite:///data/newsbot.db")):
        async_database_url(url)
    with pytest.raises(ValidationError):
        Settings(database_url=url)


def test_an_unknown_driver_stops_in_at_most_three_lines_without_a_traceback(cli: CliRun) -> None:
    for command in (["stats"], ["run"], ["db", "upgrade"]):
        result = cli(*command, env={"NEWSBOT_DATABASE_URL": "mysql+pymysql://u:secret@h/db"}, input="")
        assert result.exit_code == 2, result.output
        assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception
        lines = result.stderr.strip().splitlines()
        assert 1 <= len(lines) <= 3, result.stderr
        assert "Traceback" not in result.output
        assert "NEWSBOT_DATABASE_URL" in lines[0] and "sqlite:///data/newsbot.db" in result.stderr
        assert "secret" not in result.output


def test_every_command_works_with_a_plain_sqlite_url(cli: CliRun, tmp_path: Path) -> None:
    env = {"NEWSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'plain.db'}"}
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(json.dumps({"id": 1, "text": "Talks resumed in Istanbul on Friday."}) + "\n", encoding="utf-8")
    commands = [
        ["db", "upgrade"],
        ["ingest", str(SEED)],
        ["stats", "--json"],
        ["digest", "ceasefire"],
        ["ask", "/topics"],
        ["status", "ceasefire", "--json"],
        ["stories", "--since", "3650d", "--json"],
        ["feeds", "list"],
        ["db", "prune", "--days", "30"],
        ["analyze", str(jsonl)],
        ["slack", "manifest", "--socket"],
        ["db", "copy", f"sqlite:///{tmp_path / 'plain.db'}", f"sqlite:///{tmp_path / 'copy.db'}"],
    ]
    for command in commands:
        result = cli(*command, env=env)
        assert result.exit_code == 0, (command, result.output)
        assert "Traceback" not in result.output, command
    assert json.loads(cli("stats", "--json", env=env).stdout)["articles"] == 1
    run = cli("run", env=env, input="/digest ceasefire\n")
    assert run.exit_code == 0, run.output
    assert "Drone Attacks Persist" in run.stdout


def test_commands_work_with_a_plain_postgresql_url(cli: CliRun) -> None:
    base = _require_postgres()
    name = f"newsbot_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(base, f'CREATE DATABASE "{name}"'))
    plain = make_url(base).set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    assert plain.startswith("postgresql://")
    env = {"NEWSBOT_DATABASE_URL": plain}  # the work queue too (Procrastinate runs on psycopg)
    try:
        for command in (["db", "upgrade"], ["ingest", str(SEED)], ["stats", "--json"], ["digest", "ceasefire"]):
            result = cli(*command, env=env)
            assert result.exit_code == 0, (command, result.output)
        assert json.loads(cli("stats", "--json", env=env).stdout)["articles"] == 1
        run = cli("run", env=env, input="/topics\n")
        assert run.exit_code == 0, run.output
    finally:
        asyncio.run(_pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
