"""In-process CLI runs (typer's CliRunner): much quicker than a subprocess per command. ``newsbot``
configures logging on the root logger, so each run's logging is put back afterwards."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import REPO

CliRun = Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[CliRun]:
    """``cli("stats", "--json", env={...}, input="...")``: the newsbot command line, in process, with
    the database in ``tmp_path`` unless ``NEWSBOT_DATABASE_URL`` is given, and no platform tokens."""
    from bot.cli import app

    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    cwd = Path.cwd()

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        clean: dict[str, Any] = {k: None for k in os.environ if k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))}
        clean.update(
            {
                "NEWSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
                "NEWSBOT_CONFIG_DIR": str(REPO / "config"),
                "NEWSBOT_SEEDS_DIR": str(REPO / "seeds"),
                **(env or {}),
            }
        )
        os.chdir(tmp_path)
        try:
            return CliRunner().invoke(app, list(args), env=clean, input=input)
        finally:
            os.chdir(cwd)

    yield run
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)
