"""Our declarations of slack-sdk's store tables match slack-sdk's own; the manifest lists exactly
the commands the adapter registers."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table
from typer.testing import CliRunner

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.manifest import BOT_SCOPES, build_manifest
from bot.cli import app as cli
from digests.store.slack_tables import SLACK_METADATA


def _shape(table: Table) -> dict[str, Any]:
    return {
        "columns": [(c.name, repr(c.type), c.nullable, c.primary_key) for c in table.columns],
        "indexes": sorted((i.name, tuple(c.name for c in i.columns)) for i in table.indexes),
    }


def test_slack_tables_match_slack_sdk() -> None:
    upstream = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(upstream, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(upstream, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(upstream, "slack_oauth_states")
    assert sorted(upstream.tables) == sorted(SLACK_METADATA.tables)
    for name, table in upstream.tables.items():
        assert _shape(SLACK_METADATA.tables[name]) == _shape(table), name


async def test_migrated_database_has_the_store_tables(svc: Any) -> None:
    from sqlalchemy import inspect

    async with svc.db.engine.connect() as conn:
        names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= names


def test_manifest_lists_exactly_the_registered_commands(svc: Any, slack_settings: Any) -> None:
    adapter = SlackAdapter(svc, slack_settings)
    manifest = build_manifest("news", svc.topics, base_url="https://bot.example")
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == adapter.commands == ["/news", "/ceasefire-status"]
    assert all(c["url"] == "https://bot.example/slack/events" for c in manifest["features"]["slash_commands"])
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert manifest["oauth_config"]["redirect_urls"] == ["https://bot.example/slack/oauth_redirect"]
    socket = build_manifest("news", svc.topics, socket_mode=True)
    assert socket["settings"]["socket_mode_enabled"] is True and "url" not in socket["features"]["slash_commands"][0]


def test_cli_prints_the_manifest(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setenv("NEWSBOT_CONFIG_DIR", str(settings.config_dir))
    result = CliRunner().invoke(cli, ["slack", "manifest", "--url", "https://bot.example"])
    assert result.exit_code == 0, result.output
    assert 'command: "/news"' in result.output and 'command: "/ceasefire-status"' in result.output
    assert "token_rotation_enabled: false" in result.output
