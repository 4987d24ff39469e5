"""Command sync only when the command set changes.

Each sync is a bulk overwrite (``PUT``) that counts toward Discord's daily command-create limit, so
it is done only when the commands differ from the last sync: a SHA-256 of the command payloads is
kept in the ``platform_state`` table, under a key naming the application and the scope (global,
or the development guild). ``newsbot discord sync`` forces it; the adapter calls it at start.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from digests.store.tables import PlatformStateRow

__all__ = ["StateStore", "SyncOutcome", "command_payloads", "commands_hash", "sync_commands"]


class StateStore:
    """Tiny key/value access to ``platform_state``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def get(self, key: str) -> str | None:
        """The value stored under ``key``, if any."""
        async with self.engine.connect() as conn:
            row = await conn.execute(select(PlatformStateRow.value).where(PlatformStateRow.key == key))
            return row.scalar_one_or_none()

    async def put(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (insert or replace)."""
        now = datetime.now(UTC)
        async with self.engine.begin() as conn:
            await conn.execute(delete(PlatformStateRow).where(PlatformStateRow.key == key))
            await conn.execute(insert(PlatformStateRow).values(key=key, value=value, updated_at=now))


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    scope: str  # "global" or "guild 123"
    digest: str
    synced: bool  # False when the stored hash already matched
    count: int


def command_payloads(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> list[dict[str, Any]]:
    """What a sync would send for ``guild`` (``None``: global), sorted by name."""
    return sorted((cmd.to_dict(tree) for cmd in tree.get_commands(guild=guild)), key=lambda d: str(d["name"]))


def commands_hash(payloads: list[dict[str, Any]]) -> str:
    """A stable SHA-256 of command payloads."""
    blob = json.dumps(payloads, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


async def sync_commands(
    tree: app_commands.CommandTree[Any], state: StateStore, *, guild_id: int | None = None, force: bool = False
) -> SyncOutcome:
    """Sync the tree's commands (globally, or copied to ``guild_id``) when their hash differs from
    the stored one, or when ``force``; then store the new hash. The client must be logged in.

    Raises:
        discord.HTTPException: Discord refused the sync (``app_commands.CommandSyncFailure`` for
            invalid commands).
    """
    guild = discord.Object(id=guild_id) if guild_id is not None else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    payloads = command_payloads(tree, guild)
    digest = commands_hash(payloads)
    scope = "global" if guild_id is None else f"guild {guild_id}"
    key = f"discord.commands.{tree.client.application_id}.{scope.replace(' ', ':')}"
    if not force and await state.get(key) == digest:
        return SyncOutcome(scope, digest, synced=False, count=len(payloads))
    await tree.sync(guild=guild)
    await state.put(key, digest)
    return SyncOutcome(scope, digest, synced=True, count=len(payloads))
