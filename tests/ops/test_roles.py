"""``newsbot run --role``: each role starts only its parts."""

from __future__ import annotations

import asyncio
import io
import os
from typing import Any

import pytest
from pydantic import SecretStr

from bot.adapters.console import ConsoleAdapter, ConsolePublisher
from bot.app import build_app
from digests.errors import ConfigError
from tests.ops.test_health import started


async def _run_role(settings: Any, role: str) -> dict[str, Any]:
    read_fd, write_fd = os.pipe()
    stdin = os.fdopen(read_fd, "r")
    app = build_app(settings, stdin=stdin, stdout=io.StringIO(), role=role)
    try:
        async with app:
            task = await started(app)
            seen = {
                "adapters": [type(a) for a in app.adapters],
                "scheduler": app.scheduler is not None,
                "runner": app.runner is not None,
                "poller": app.poller is not None and app.poller.running,
                "publishers": {k: type(v).__name__ for k, v in app.svc.publishers.items()} if app.svc else {},
                "rest": [a.name for a in app.rest_adapters],
            }
            app.stop.set()
            assert await asyncio.wait_for(task, 10) == 0
    finally:
        os.close(write_fd)
        stdin.close()
    return seen


async def test_all_runs_everything(ops_settings: Any) -> None:
    seen = await _run_role(ops_settings, "all")
    assert seen["adapters"] == [ConsoleAdapter]
    assert seen["scheduler"] and seen["runner"] and seen["poller"]


async def test_poller_runs_only_the_poller(ops_settings: Any) -> None:
    seen = await _run_role(ops_settings, "poller")
    assert seen == {
        "adapters": [], "scheduler": False, "runner": False, "poller": True, "publishers": {}, "rest": [],
    }  # fmt: skip


async def test_scheduler_runs_ticks_and_deliveries_with_publishers_only(ops_settings: Any) -> None:
    seen = await _run_role(ops_settings, "scheduler")
    assert seen["adapters"] == [] and not seen["poller"]
    assert seen["scheduler"] and seen["runner"]
    assert seen["publishers"] == {"console": ConsolePublisher.__name__}  # posts, reads no commands


async def test_scheduler_posts_to_slack_over_rest_without_serving(ops_settings: Any) -> None:
    s = ops_settings.model_copy(
        update={"slack_bot_token": SecretStr("xoxb-test"), "slack_api_url": "http://127.0.0.1:9/"}
    )
    seen = await _run_role(s, "scheduler")
    assert seen["adapters"] == [] and seen["publishers"] == {"slack": "SlackPublisher"}


async def test_slack_role_serves_commands_only(ops_settings: Any) -> None:
    s = ops_settings.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-test"), "slack_signing_secret": SecretStr("s3cret"),
            "slack_mode": "http", "slack_host": "127.0.0.1", "slack_port": 0, "slack_api_url": "http://127.0.0.1:9/",
        }
    )  # fmt: skip
    seen = await _run_role(s, "slack")
    assert [a.__name__ for a in seen["adapters"]] == ["SlackAdapter"]
    assert not seen["scheduler"] and not seen["runner"] and not seen["poller"]


@pytest.mark.parametrize(("role", "variable"), [("discord", "DISCORD_TOKEN"), ("slack", "SLACK_")])
async def test_a_platform_role_without_credentials_says_what_is_missing(
    ops_settings: Any, role: str, variable: str
) -> None:
    with pytest.raises(ConfigError, match=variable):
        await _run_role(ops_settings, role)


def test_an_unknown_role_is_refused(ops_settings: Any) -> None:
    with pytest.raises(ConfigError, match="unknown role"):
        build_app(ops_settings, role="everything")


def test_compose_workers_use_known_roles() -> None:
    import re

    from bot.app import ROLES
    from tests.conftest import REPO

    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    roles = re.findall(r'"--role", "([a-z]+)"', text)
    assert set(roles) == set(ROLES) - {"all"}
    assert '["db", "upgrade"]' in text and "service_completed_successfully" in text
