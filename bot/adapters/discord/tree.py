"""The application commands: one ``/news`` group carrying every command of the handler table, plus
one top-level command per configured alias (``/ceasefire-status`` = ``/news status ceasefire``).

Built from the table, not written by hand: a command added to ``COMMANDS`` appears here too.
``default_permissions(manage_guild=True)`` is Discord's *hint* for admin-only commands; Discord
accepts it only on top-level commands, so it is set on aliases of admin-only commands, never on
``/news`` subcommands. The real check is server-side: the handler refuses non-admins.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.interactions import InteractionRunner
from bot.adapters.discord.options import Completion, OptionSpec, make_callback, specs_for
from bot.handlers import COMMANDS, alias_table
from bot.handlers.replies import text_reply
from bot.services import Services
from digests.message import Tone

__all__ = ["NewsTree", "build_tree"]

log = logging.getLogger(__name__)

NAMESPACE = "news"
ADMIN_HINT = discord.Permissions(manage_guild=True)


class NewsTree(app_commands.CommandTree[discord.Client]):
    """A command tree that logs failures and tells the user, instead of failing silently."""

    runner: InteractionRunner

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Log the failure; apologise to the user if the interaction can still be answered."""
        log.error("discord command failed: %s", error, exc_info=error)
        apology = text_reply("Something went wrong on our side; it has been logged.", tone=Tone.ERROR)
        try:
            await self.runner.send(interaction, apology)
        except discord.HTTPException:
            log.warning("could not report the failure to the user (interaction expired)")


def _description(text: str) -> str:
    return text if len(text) <= 100 else text[:99] + "…"


def _command(
    runner: InteractionRunner, name: str, command: str, preset: tuple[str, ...], parent: app_commands.Group | None
) -> app_commands.Command[Any, ..., None]:
    specs = specs_for(command, preset_topic=bool(preset))

    async def run(interaction: discord.Interaction, values: dict[str, Any]) -> None:
        await runner.run(interaction, command, specs, values, preset)

    entry = COMMANDS[command]
    summary = entry.summary if not preset else f"same as /news {command} {' '.join(preset)}"
    cmd: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=name, description=_description(summary), callback=make_callback(specs, run), parent=parent
    )
    for spec in specs:
        if spec.completion is not None:
            _autocomplete(cmd, runner, spec, spec.completion)
    if parent is None and entry.admin_only:
        cmd.default_permissions = ADMIN_HINT
    return cmd


def _autocomplete(
    cmd: app_commands.Command[Any, ..., None], runner: InteractionRunner, spec: OptionSpec, kind: Completion
) -> None:
    async def complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await runner.choices(interaction, kind, current)

    cmd.autocomplete(spec.name)(complete)


def build_tree(client: discord.Client, svc: Services) -> NewsTree:
    """Attach a :class:`NewsTree` with ``/news`` and the aliases to ``client``."""
    tree = NewsTree(client)
    runner = InteractionRunner(svc)
    tree.runner = runner
    group = app_commands.Group(name=NAMESPACE, description="News digests: verbatim, with their sources")
    for name in COMMANDS:
        group.add_command(_command(runner, name, name, (), group))
    tree.add_command(group)
    for alias, (command, topic_id) in sorted(alias_table(svc.topics).items()):
        tree.add_command(_command(runner, alias, command, (topic_id,), None))

    async def on_interaction(interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.component:  # a button: same table, same rules
            await runner.run_action(interaction)

    client.event(on_interaction)
    return tree
