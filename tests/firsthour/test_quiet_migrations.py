"""Alembic's lines only with ``--verbose``; one line when a migration actually ran (issue 18)."""

from __future__ import annotations

from pathlib import Path

from tests.firsthour.conftest import CliRun


def test_migrations_are_quiet_and_say_one_line_when_they_ran(cli: CliRun, tmp_path: Path) -> None:
    first = cli("stats", "--json")
    assert first.exit_code == 0, first.output
    lines = first.stderr.strip().splitlines()
    assert len(lines) == 1, first.stderr
    assert "database migrated from revision (empty) to 00" in lines[0]
    assert "alembic" not in first.stderr.lower()
    again = cli("stats", "--json")
    assert again.exit_code == 0 and again.stderr == ""  # nothing to migrate: nothing said


def test_verbose_shows_alembic_steps(cli: CliRun, tmp_path: Path) -> None:
    result = cli("--verbose", "stats", env={"NEWSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}"})
    assert result.exit_code == 0, result.output
    assert "alembic.runtime.migration" in result.stderr and "Running upgrade  -> 0001" in result.stderr
