"""From an interaction to a reply: translate → (precheck) → dispatch → render_embeds → send.

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
from bot.adapters.discord.render import render_embeds
from bot.handlers import COMMANDS, ChannelRef, CommandRequest, UserRef, dispatch
from bot.handlers.replies import error_reply
from bot.services import Services
from digests.message import Reply

__all__ = ["DEFER_AFTER", "MAX_CHOICES", "InteractionRunner", "to_request"]

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
    args, options = to_request_parts(specs, values, preset_args)
    return CommandRequest(command, args, user, channel, options)


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
        req = to_request(interaction, command, specs, values, preset_args)
        problem = precheck(req, self.svc)
        if problem is not None:
            await self.send(interaction, error_reply(problem))
            return
        private = not req.share
        work = asyncio.ensure_future(dispatch(req, self.svc))
        entry = COMMANDS.get(command)
        if entry is not None and entry.slow:
            await interaction.response.defer(ephemeral=private, thinking=True)
        else:
            done, _ = await asyncio.wait({work}, timeout=DEFER_AFTER)
            if not done:
                await interaction.response.defer(ephemeral=private, thinking=True)
        await self.send(interaction, await work, deferred_private=private)

    async def send(self, interaction: discord.Interaction, reply: Reply, *, deferred_private: bool = True) -> None:
        """Send ``reply``: the interaction response, or follow-ups after a defer; one message per
        group of embeds that :func:`render_embeds` made."""
        messages = render_embeds(reply.message) or [[discord.Embed(description="(nothing to show)")]]
        if not interaction.response.is_done():
            await interaction.response.send_message(
                embeds=messages[0], ephemeral=reply.ephemeral, allowed_mentions=NO_MENTIONS
            )
            private, rest = reply.ephemeral, messages[1:]
        else:
            private, rest = deferred_private, messages
            if reply.ephemeral and not deferred_private:
                # the public "thinking" message cannot turn private: remove it, answer privately
                await interaction.delete_original_response()
                private = True
        for embeds in rest:
            await interaction.followup.send(embeds=embeds, ephemeral=private, allowed_mentions=NO_MENTIONS)

    async def choices(
        self, interaction: discord.Interaction, kind: Completion, current: str
    ) -> list[app_commands.Choice[str]]:
        """At most 25 choices matching what the user typed so far: topics (the config's and this
        server's own) or timezones. Discord does not validate the value finally sent; the handler does."""
        needle = current.strip().casefold()
        if kind == "timezone":
            zones = [z for z in _zones() if needle in z.casefold()]
            return [app_commands.Choice(name=z, value=z) for z in zones[:MAX_CHOICES]]
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
