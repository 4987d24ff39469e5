"""Fixtures of the operations tests: settings that fetch and post nothing, and serve health on any port."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO


@pytest.fixture
def quiet_config(tmp_path: Path) -> Path:
    """The real topics, no feeds and no config subscriptions: nothing is fetched or posted."""
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(REPO / "config" / "topics.toml", config / "topics.toml")
    (config / "feeds.toml").write_text("feeds = []\n", encoding="utf-8")
    return config


@pytest.fixture
def ops_settings(settings: Any, quiet_config: Path) -> Any:
    return settings.model_copy(update={"config_dir": quiet_config, "http_port": 0, "fetch_only_allowlist": True})
