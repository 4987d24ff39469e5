"""Subscriptions (a channel's topic on a schedule) and per-workspace settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.models import Subscription
from digests.store import codec
from digests.store.tables import SubscriptionRow, WorkspaceRow, WorkspaceTopicRow

__all__ = ["SubscriptionStore", "WorkspaceSettings"]


@dataclass(frozen=True, slots=True)
class WorkspaceSettings:
    platform: str
    workspace_id: str
    timezone: str | None = None
    admin_ids: tuple[str, ...] = ()
    ops_channel: str | None = None


class SubscriptionStore:
    """Port for subscriptions: ``upsert``, ``remove``, ``list``, ``get``; plus workspace settings."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def upsert(
        self,
        *,
        platform: str,
        workspace_id: str,
        channel_id: str,
        topic_id: str,
        schedule: str,
        timezone: str,
        max_stories: int = 5,
        mode: str = "digest",
        created_by: str | None = None,
        quiet_hours: str | None = None,
        on_empty: str = "skip",
    ) -> tuple[Subscription, bool]:
        """Create the subscription, or update its schedule; returns it and whether it is new."""
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(SubscriptionRow).where(
                        SubscriptionRow.platform == platform,
                        SubscriptionRow.workspace_id == workspace_id,
                        SubscriptionRow.channel_id == channel_id,
                        SubscriptionRow.topic_id == topic_id,
                    )
                )
            ).scalar_one_or_none()
            created = row is None
            if row is None:
                row = SubscriptionRow(
                    platform=platform,
                    workspace_id=workspace_id,
                    channel_id=channel_id,
                    topic_id=topic_id,
                    created_by=created_by,
                    created_at=datetime.now(UTC),
                )
                session.add(row)
            row.schedule, row.timezone, row.max_stories, row.mode = schedule, timezone, max_stories, mode
            row.quiet_hours, row.on_empty = quiet_hours, on_empty
            row.paused_reason = None
            await session.commit()
            return codec.subscription(row), created

    async def ensure(self, **fields: str | int) -> Subscription:
        """Create a subscription from config if it is missing; an existing one is left as it is."""
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(SubscriptionRow).where(
                        SubscriptionRow.platform == fields["platform"],
                        SubscriptionRow.workspace_id == fields["workspace_id"],
                        SubscriptionRow.channel_id == fields["channel_id"],
                        SubscriptionRow.topic_id == fields["topic_id"],
                    )
                )
            ).scalar_one_or_none()
            if row is not None:
                return codec.subscription(row)
        sub, _ = await self.upsert(**fields)  # type: ignore[arg-type]
        return sub

    async def remove(self, *, platform: str, workspace_id: str, channel_id: str, topic_id: str) -> bool:
        async with self._sessions() as session:
            result = await session.execute(
                delete(SubscriptionRow).where(
                    SubscriptionRow.platform == platform,
                    SubscriptionRow.workspace_id == workspace_id,
                    SubscriptionRow.channel_id == channel_id,
                    SubscriptionRow.topic_id == topic_id,
                )
            )
            await session.commit()
            return bool(getattr(result, "rowcount", 0))

    async def list(
        self, *, platform: str | None = None, workspace_id: str | None = None, channel_id: str | None = None
    ) -> list[Subscription]:
        query = select(SubscriptionRow).order_by(SubscriptionRow.id)
        if platform is not None:
            query = query.where(SubscriptionRow.platform == platform)
        if workspace_id is not None:
            query = query.where(SubscriptionRow.workspace_id == workspace_id)
        if channel_id is not None:
            query = query.where(SubscriptionRow.channel_id == channel_id)
        async with self._sessions() as session:
            return [codec.subscription(r) for r in (await session.execute(query)).scalars()]

    async def get(self, subscription_id: int) -> Subscription | None:
        async with self._sessions() as session:
            row = await session.get(SubscriptionRow, subscription_id)
            return codec.subscription(row) if row else None

    async def set_paused(self, subscription_id: int, reason: str | None) -> None:
        async with self._sessions() as session:
            row = await session.get(SubscriptionRow, subscription_id)
            if row is not None:
                row.paused_reason = reason
                row.paused_at = datetime.now(UTC) if reason else None
                row.last_error = reason or row.last_error
                await session.commit()

    async def resume(self, subscription_id: int) -> None:
        """Clear a pause (after an admin fixed the cause, or when a post succeeds again)."""
        async with self._sessions() as session:
            row = await session.get(SubscriptionRow, subscription_id)
            if row is not None and row.paused_reason is not None:
                row.paused_reason = None
                row.paused_at = None
                row.last_error = None
                await session.commit()

    async def pause_workspace(self, platform: str, workspace_id: str, reason: str) -> int:
        """Pause every subscription of a workspace (an uninstall); returns how many."""
        async with self._sessions() as session:
            rows = (
                (
                    await session.execute(
                        select(SubscriptionRow).where(
                            SubscriptionRow.platform == platform, SubscriptionRow.workspace_id == workspace_id
                        )
                    )
                )
                .scalars()
                .all()
            )
            for row in rows:
                row.paused_reason = reason
            await session.commit()
            return len(rows)

    async def record_error(self, subscription_id: int, error: str | None) -> None:
        """Remember a subscription's last delivery error (None clears it; a no-op when unchanged)."""
        async with self._sessions() as session:
            await session.execute(
                update(SubscriptionRow)
                .where(SubscriptionRow.id == subscription_id, SubscriptionRow.last_error.is_distinct_from(error))
                .values(last_error=error)
            )
            await session.commit()

    async def workspace_topics(self, platform: str, workspace_id: str) -> Sequence[WorkspaceTopicRow]:
        async with self._sessions() as session:
            query = (
                select(WorkspaceTopicRow)
                .where(WorkspaceTopicRow.platform == platform, WorkspaceTopicRow.workspace_id == workspace_id)
                .order_by(WorkspaceTopicRow.topic_id)
            )
            return (await session.execute(query)).scalars().all()

    async def add_workspace_topic(
        self,
        platform: str,
        workspace_id: str,
        topic_id: str,
        title: str,
        phrases: Sequence[str],
        created_by: str | None,
    ) -> bool:
        """Add or replace a workspace's keyword topic; True when it is new."""
        async with self._sessions() as session:
            row = await session.get(WorkspaceTopicRow, (platform, workspace_id, topic_id))
            created = row is None
            if row is None:
                row = WorkspaceTopicRow(
                    platform=platform,
                    workspace_id=workspace_id,
                    topic_id=topic_id,
                    created_by=created_by,
                    created_at=datetime.now(UTC),
                )
                session.add(row)
            row.title, row.phrases = title, [*phrases]
            await session.commit()
            return created

    async def remove_workspace_topic(self, platform: str, workspace_id: str, topic_id: str) -> bool:
        async with self._sessions() as session:
            row = await session.get(WorkspaceTopicRow, (platform, workspace_id, topic_id))
            if row is None:
                return False
            await session.delete(row)
            await session.execute(
                delete(SubscriptionRow).where(
                    SubscriptionRow.platform == platform,
                    SubscriptionRow.workspace_id == workspace_id,
                    SubscriptionRow.topic_id == topic_id,
                )
            )
            await session.commit()
            return True

    async def created_by(self, subscription_id: int) -> str | None:
        """Who created the subscription (the admin who ran ``subscribe``; None for config ones)."""
        async with self._sessions() as session:
            row = await session.get(SubscriptionRow, subscription_id)
            return row.created_by if row else None

    async def last_error(self, subscription_id: int) -> str | None:
        async with self._sessions() as session:
            row = await session.get(SubscriptionRow, subscription_id)
            return row.last_error if row else None

    async def count(self) -> int:
        async with self._sessions() as session:
            return int((await session.execute(select(func.count()).select_from(SubscriptionRow))).scalar_one())

    async def workspace(self, platform: str, workspace_id: str) -> WorkspaceSettings:
        async with self._sessions() as session:
            row = await session.get(WorkspaceRow, (platform, workspace_id))
            if row is None:
                return WorkspaceSettings(platform, workspace_id)
            return WorkspaceSettings(platform, workspace_id, row.timezone, tuple(row.admin_ids), row.ops_channel)

    async def set_workspace(self, platform: str, workspace_id: str, **values: str | None) -> None:
        """Set workspace settings (``timezone``, ``ops_channel``)."""
        async with self._sessions() as session:
            row = await session.get(WorkspaceRow, (platform, workspace_id))
            if row is None:
                row = WorkspaceRow(platform=platform, workspace_id=workspace_id, admin_ids=[])
                session.add(row)
            for key, value in values.items():
                setattr(row, key, value)
            await session.commit()

    async def set_workspace_timezone(self, platform: str, workspace_id: str, timezone: str) -> None:
        await self.set_workspace(platform, workspace_id, timezone=timezone)
