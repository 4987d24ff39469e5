"""The delivery ledger: one row per (subscription, slot), so a slot is never posted twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from digests.models import Delivery, DeliveryState
from digests.store import codec
from digests.store.tables import DeliveryRow, StoryLineageRow, StoryRow

__all__ = ["DeliveryStore"]

_OPEN = (DeliveryState.PENDING.value, DeliveryState.FAILED.value, DeliveryState.POSTING.value)


class DeliveryStore:
    """Port for the ledger: ``claim``, ``start``, ``finish``, ``get``, ``last_posted``."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # the service clock in tests

    async def claim(self, subscription_id: int, slot: datetime) -> Delivery:
        """The delivery for this slot, created pending if it does not exist yet (race-safe)."""
        now = self.clock()
        async with self._sessions() as session:
            session.add(
                DeliveryRow(
                    subscription_id=subscription_id,
                    slot=slot,
                    state=DeliveryState.PENDING.value,
                    attempts=0,
                    story_ids=[],
                    created_at=now,
                    updated_at=now,
                )
            )
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(DeliveryRow).where(DeliveryRow.subscription_id == subscription_id, DeliveryRow.slot == slot)
                )
            ).scalar_one()
            return codec.delivery(row)

    async def claim_many(self, slots: list[tuple[int, datetime]]) -> list[Delivery]:
        """Claim many (subscription, slot) rows at once (insert-if-absent, race-safe); returns the
        deliveries of those slots that are still pending."""
        if not slots:
            return []
        now = self.clock()
        dialect = self._sessions.kw["bind"].dialect.name if "bind" in self._sessions.kw else "sqlite"
        insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
        async with self._sessions() as session:
            for start in range(0, len(slots), 500):
                chunk = slots[start : start + 500]
                stmt = insert_fn(DeliveryRow).values(
                    [
                        {
                            "subscription_id": sub_id,
                            "slot": slot,
                            "state": DeliveryState.PENDING.value,
                            "attempts": 0,
                            "story_ids": [],
                            "created_at": now,
                            "updated_at": now,
                        }
                        for sub_id, slot in chunk
                    ]
                )
                await session.execute(stmt.on_conflict_do_nothing(index_elements=["subscription_id", "slot"]))
            await session.commit()
            wanted = {(sub_id, slot) for sub_id, slot in slots}
            ids = sorted({sub_id for sub_id, _ in slots})
            found: list[Delivery] = []
            for start in range(0, len(ids), 500):
                rows = (
                    await session.execute(
                        select(DeliveryRow).where(
                            DeliveryRow.subscription_id.in_(ids[start : start + 500]),
                            DeliveryRow.state == DeliveryState.PENDING.value,
                        )
                    )
                ).scalars()
                found.extend(codec.delivery(r) for r in rows if (r.subscription_id, r.slot) in wanted)
            return found

    async def last_slots(self) -> dict[int, datetime]:
        """The newest ledger slot of every subscription, in one query."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(DeliveryRow.subscription_id, func.max(DeliveryRow.slot)).group_by(DeliveryRow.subscription_id)
            )
            return {
                int(sub_id): (slot if slot.tzinfo else slot.replace(tzinfo=UTC))
                for sub_id, slot in rows.all()
                if slot is not None
            }

    async def get(self, delivery_id: int) -> Delivery | None:
        async with self._sessions() as session:
            row = await session.get(DeliveryRow, delivery_id)
            return codec.delivery(row) if row else None

    async def start(self, delivery_id: int) -> Delivery | None:
        """Mark an open delivery as being posted (one more attempt); None if it is already closed."""
        async with self._sessions() as session:
            result = await session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id, DeliveryRow.state.in_(_OPEN))
                .values(
                    state=DeliveryState.POSTING.value,
                    attempts=DeliveryRow.attempts + 1,
                    updated_at=self.clock(),
                )
            )
            await session.commit()
            if not getattr(result, "rowcount", 0):
                return None
            row = await session.get(DeliveryRow, delivery_id)
            return codec.delivery(row) if row else None

    async def finish(
        self,
        delivery_id: int,
        state: DeliveryState,
        *,
        message_id: str | None = None,
        error: str | None = None,
        story_ids: list[int] | None = None,
    ) -> None:
        async with self._sessions() as session:
            row = await session.get(DeliveryRow, delivery_id)
            if row is None:
                return
            row.state = state.value
            row.message_id = message_id or row.message_id
            row.error = error
            if story_ids is not None:
                row.story_ids = story_ids
            row.updated_at = self.clock()
            if state is DeliveryState.POSTED and story_ids:  # posted stories are kept whole at ingest
                await session.execute(
                    update(StoryRow)
                    .where(StoryRow.id.in_(story_ids), StoryRow.posted_at.is_(None))
                    .values(posted_at=row.updated_at)
                )
            await session.commit()

    async def last_posted(self, subscription_id: int) -> tuple[Delivery, list[int]] | None:
        """The newest posted or skipped delivery of a subscription and the stories it carried."""
        async with self._sessions() as session:
            row = (
                await session.execute(
                    select(DeliveryRow)
                    .where(
                        DeliveryRow.subscription_id == subscription_id,
                        DeliveryRow.state.in_((DeliveryState.POSTED.value, DeliveryState.SKIPPED.value)),
                    )
                    .order_by(DeliveryRow.slot.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
            return (codec.delivery(row), list(row.story_ids)) if row else None

    async def posted_story_ids(self, subscription_id: int) -> set[int]:
        """Every story already posted to this subscription's channel (for "new stories only")."""
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(DeliveryRow.story_ids).where(
                        DeliveryRow.subscription_id == subscription_id,
                        DeliveryRow.state == DeliveryState.POSTED.value,
                    )
                )
            ).scalars()
            posted = {int(i) for ids in rows for i in ids}
            return await _with_regrouped(session, posted)

    async def open_deliveries(self, *, stale_before: datetime, max_attempts: int) -> list[Delivery]:
        """Deliveries left open since before ``stale_before`` with fewer than ``max_attempts``: claimed
        but never started, failed and waiting for a retry, or left "posting" by a worker that died."""
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(DeliveryRow)
                    .where(
                        DeliveryRow.attempts < max_attempts,
                        DeliveryRow.state.in_(_OPEN),
                        DeliveryRow.updated_at < stale_before,
                    )
                    .order_by(DeliveryRow.slot)
                    .limit(1000)
                )
            ).scalars()
            return [codec.delivery(r) for r in rows]

    async def last_slot(self, subscription_id: int) -> datetime | None:
        """The newest slot in the ledger for a subscription, whatever its state."""
        async with self._sessions() as session:
            value = (
                await session.execute(
                    select(func.max(DeliveryRow.slot)).where(DeliveryRow.subscription_id == subscription_id)
                )
            ).scalar_one_or_none()
            if value is None:
                return None
            return value if value.tzinfo else value.replace(tzinfo=UTC)

    async def count(self) -> int:
        async with self._sessions() as session:
            return int((await session.execute(select(func.count()).select_from(DeliveryRow))).scalar_one())


async def _with_regrouped(session: AsyncSession, posted: set[int]) -> set[int]:
    """Add the stories ``newsbot stories regroup`` made only of articles of posted stories: they are
    not new news (``story_lineage``: each regrouped story and the stories its articles came from)."""
    frontier = set(posted)
    while frontier:
        children = select(StoryLineageRow.story_id).where(StoryLineageRow.parent_id.in_(list(frontier)))
        rows = (
            await session.execute(
                select(StoryLineageRow.story_id, StoryLineageRow.parent_id).where(
                    StoryLineageRow.story_id.in_(children)
                )
            )
        ).all()
        parents: dict[int, set[int]] = {}
        for child, parent in rows:
            parents.setdefault(int(child), set()).add(int(parent))
        frontier = {c for c, ps in parents.items() if c not in posted and ps <= posted}
        posted |= frontier
    return posted
