"""From an interaction to a reply: translate → (precheck) → dispatch → render_messages → send.

Buttons under digests and answers (component interactions) go the same way: their ``custom_id``
carries the command (``newsbot:story 12``), run through the handler table for the one who pressed.

Nothing is decided here. The first reply always goes out within Discord's 3 seconds: a bad
argument is answered at once (ephemeral); a ``slow`` command is deferred first, its privacy fixed
at that moment (ephemeral unless ``share``); any other command that has not answered after
:data:`DEFER_AFTER` seconds is deferred the same way. Every send and edit carries
``AllowedMentions.none()`` (the client default says the same).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.adapters.discord.options import Completion, OptionSpec, to_request_parts
from bot.adapters.discord.precheck import precheck
from bot.adapters.discord.render import ACTION_PREFIX, DiscordMessage, action_view, render_messages
from bot.handlers import COMMANDS, ChannelRef, CommandRequest, UserRef, dispatch
from bot.handlers.parse import parse_line
from bot.handlers.replies import error_reply
from bot.services import Services
from digests.errors import CommandError
from digests.message import Reply

__all__ = ["DEFER_AFTER", "MAX_CHOICES", "InteractionRunner", "action_request", "to_request"]

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0  # seconds a fast command may take before we defer anyway
MAX_CHOICES = 25  # Discord's limit for autocomplete answers
NO_MENTIONS = discord.AllowedMentions.none()


def to_request(
    interaction: discord.Interaction,
    command: str,
    specs: tuple[OptionSpec, ...],
    values: Mapping[str, Any],
    preset_args: tuple[str, ...] = (),
) -> CommandRequest:
    """The platform-neutral request for an interaction. ``is_admin`` is what Discord says about
    the member here (Manage Server or Administrator); in a DM nobody is."""
    user, channel = _refs(interaction)
    args, options = to_request_parts(specs, values, preset_args)
    return CommandRequest(command, args, user, channel, options)


def _refs(interaction: discord.Interaction) -> tuple[UserRef, ChannelRef]:
    guild_id = interaction.guild_id
    perms = interaction.permissions
    user = UserRef(
        str(interaction.user.id),
        interaction.user.display_name,
        is_admin=guild_id is not None and (perms.manage_guild or perms.administrator),
    )
    channel = ChannelRef(
        "discord",
        str(guild_id) if guild_id is not None else f"dm-{interaction.user.id}",
        str(interaction.channel_id),
        is_dm=guild_id is None,
    )
    return user, channel


def action_request(interaction: discord.Interaction) -> CommandRequest | None:
    """The request a pressed button carries (``custom_id`` ``newsbot:story 12``), for the one who
    pressed it; None for a component that is not ours.

    Raises:
        CommandError: the button's command cannot be read.
    """
    data: Mapping[str, Any] = interaction.data or {}
    custom_id = str(data.get("custom_id") or "")
    if not custom_id.startswith(ACTION_PREFIX):
        return None
    name, args, options = parse_line(custom_id[len(ACTION_PREFIX) :])
    options.pop("share", None)  # a button's answer is for the one who pressed it
    user, channel = _refs(interaction)
    return CommandRequest(name, tuple(args), user, channel, options)


def _view(part: DiscordMessage) -> dict[str, Any]:
    """``view=`` for a message with buttons (none otherwise: discord.py wants it left out)."""
    view = action_view(part.rows)
    return {"view": view} if view is not None else {}


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


class InteractionRunner:
    """Runs one command interaction or answers one autocomplete, for the tree's callbacks."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc

    async def run(
        self,
        interaction: discord.Interaction,
        command: str,
        specs: tuple[OptionSpec, ...],
        values: Mapping[str, Any],
        preset_args: tuple[str, ...] = (),
    ) -> None:
        """Answer a command interaction (see the module docstring for the order of things)."""
        await self.answer(interaction, to_request(interaction, command, specs, values, preset_args))

    async def run_action(self, interaction: discord.Interaction) -> None:
        """Answer a button press under a digest or an answer, privately, like the typed command."""
        try:
            req = action_request(interaction)
        except CommandError as exc:
            await self.send(interaction, error_reply(exc))
            return
        if req is not None:
            await self.answer(interaction, req)

    async def answer(self, interaction: discord.Interaction, req: CommandRequest) -> None:
        """Check, dispatch and send ``req``'s reply, deferring in time (see the module docstring)."""
        problem = precheck(req, self.svc)
        if problem is not None:
            await self.send(interaction, error_reply(problem))
            return
        private = not req.share
        work = asyncio.ensure_future(dispatch(req, self.svc))
        entry = COMMANDS.get(req.command)
        if entry is not None and entry.slow:
            await interaction.response.defer(ephemeral=private, thinking=True)
        else:
            done, _ = await asyncio.wait({work}, timeout=DEFER_AFTER)
            if not done:
                await interaction.response.defer(ephemeral=private, thinking=True)
        await self.send(interaction, await work, deferred_private=private)

    async def send(self, interaction: discord.Interaction, reply: Reply, *, deferred_private: bool = True) -> None:
        """Send ``reply``: the interaction response, or follow-ups after a defer; one message per
        message that :func:`render_messages` made (embeds and buttons)."""
        messages = render_messages(reply.message) or [DiscordMessage([discord.Embed(description="(nothing to show)")])]
        if not interaction.response.is_done():
            await interaction.response.send_message(
                embeds=messages[0].embeds,
                ephemeral=reply.ephemeral,
                allowed_mentions=NO_MENTIONS,
                **_view(messages[0]),
            )
            private, rest = reply.ephemeral, messages[1:]
        else:
            private, rest = deferred_private, messages
            if reply.ephemeral and not deferred_private:
                # the public "thinking" message cannot turn private: remove it, answer privately
                await interaction.delete_original_response()
                private = True
        for part in rest:
            await interaction.followup.send(
                embeds=part.embeds, ephemeral=private, allowed_mentions=NO_MENTIONS, **_view(part)
            )

    async def choices(
        self, interaction: discord.Interaction, kind: Completion, current: str
    ) -> list[app_commands.Choice[str]]:
        """At most 25 choices matching what the user typed so far: topics (the config's and this
        server's own) or timezones. Discord does not validate the value finally sent; the handler does."""
        needle = current.strip().casefold()
        if kind == "timezone":
            zones = [z for z in _zones() if needle in z.casefold()]
            return [app_commands.Choice(name=z, value=z) for z in zones[:MAX_CHOICES]]
        if kind == "person":  # people with quotes this server may see, most quoted first
            scope = ("discord", str(interaction.guild_id) if interaction.guild_id else f"dm-{interaction.user.id}")
            people = await self.svc.db.search.people(current, scope=scope, limit=MAX_CHOICES)
            return [app_commands.Choice(name=f"{name} ({n} quotes)"[:100], value=name[:100]) for name, n in people]
        topics = self.svc.topics
        if interaction.guild_id is not None and kind == "topic":
            topics = await self.svc.topics_for("discord", str(interaction.guild_id))
        found: list[app_commands.Choice[str]] = []
        for topic in sorted(topics.values(), key=lambda t: t.id):
            if kind == "status_topic" and not topic.status_states:
                continue
            if needle in topic.id.casefold() or needle in topic.title.casefold():
                label = f"{topic.id} — {topic.title}"
                found.append(app_commands.Choice(name=label[:100], value=topic.id))
        return found[:MAX_CHOICES]
