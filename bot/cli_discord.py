"""``newsbot discord ...``: Discord maintenance commands (registered in :mod:`bot.cli`)."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["discord_app"]

discord_app = typer.Typer(help="Discord: application commands.", no_args_is_help=True)


@discord_app.command("sync")
def sync(
    force: Annotated[bool, typer.Option("--force", help="Sync even if the commands did not change.")] = False,
    guild: Annotated[
        int | None, typer.Option(help="Sync to this guild only (default: NEWSBOT_DISCORD_DEV_GUILD, else global).")
    ] = None,
) -> None:
    """Sync the slash commands to Discord when they changed since the last sync (or with --force)."""
    from bot.adapters.discord.adapter import DiscordAdapter
    from bot.adapters.discord.sync import SyncOutcome
    from bot.app import open_services
    from bot.cli import _run, _settings

    settings = _settings()
    if settings.discord_token is None:
        typer.echo("error: DISCORD_TOKEN is not set", err=True)
        raise typer.Exit(2)
    if guild is not None:
        settings = settings.model_copy(update={"discord_dev_guild": guild})

    async def _go() -> SyncOutcome:
        svc = await open_services(settings)
        adapter = DiscordAdapter(svc, settings)
        try:
            await adapter.login()
            return await adapter.sync(force=force)
        finally:
            await adapter.client.close()
            await svc.db.close()

    outcome = _run(_go)
    state = "synced" if outcome.synced else "unchanged, not synced (--force to sync anyway)"
    typer.echo(f"{outcome.count} commands {state} ({outcome.scope})")
