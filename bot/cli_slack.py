"""``newsbot slack ...``: Slack app set-up helpers."""

from __future__ import annotations

import json
from typing import Annotated

import typer

__all__ = ["slack_app"]

slack_app = typer.Typer(help="Slack app set-up.", no_args_is_help=True)


@slack_app.command("manifest")
def manifest(
    url: Annotated[
        str | None, typer.Option(help="Public base URL of HTTP mode, e.g. https://newsbot.example.org.")
    ] = None,
    socket: Annotated[bool, typer.Option("--socket", help="A Socket Mode app (no request URLs).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of YAML.")] = False,
    name: Annotated[str, typer.Option(help="The app's display name.")] = "newsbot",
) -> None:
    """Print the app manifest: /news and every topic alias from config, minimal scopes, request URLs."""
    from bot.adapters.slack.manifest import build_manifest, to_yaml
    from bot.app import load_config_topics
    from bot.cli import _settings
    from digests.errors import ConfigError

    settings = _settings()
    try:
        topics = load_config_topics(settings)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    socket_mode = socket or settings.slack_socket_mode
    if not url and not socket_mode:
        typer.echo("note: no --url given: add the request URLs in the app settings, or use --socket", err=True)
    data = build_manifest(settings.slack_command, topics, base_url=url, socket_mode=socket_mode, name=name)
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else to_yaml(data))
