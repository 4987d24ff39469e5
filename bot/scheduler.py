"""The scheduler: a thin wrapper over APScheduler 3's ``AsyncIOScheduler``.

APScheduler only ticks (one interval job) and computes the calendar (each subscription's trigger);
the database is the source of truth. Each tick finds every subscription's due slot since its last
ledger entry, claims the ledger row (unique per subscription and slot, so any number of ticks or
processes create it once) and hands it to the job runner. Missed slots after downtime coalesce to
the latest one; a slot older than the grace period is skipped rather than posted late.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery import JobRunner
from bot.schedule import parse_schedule
from bot.services import Services
from digests.errors import CommandError

__all__ = ["Scheduler"]

log = logging.getLogger(__name__)

GRACE = timedelta(hours=6)


class Scheduler:
    def __init__(self, svc: Services, runner: JobRunner, *, tick_seconds: float = 30.0) -> None:
        self.svc = svc
        self.runner = runner
        self.tick_seconds = tick_seconds
        self._aps: AsyncIOScheduler | None = None

    async def tick(self, now: datetime | None = None) -> list[int]:
        """Claim and submit every due slot; returns the delivery ids submitted."""
        now = now or self.svc.now()
        submitted: list[int] = []
        for sub in await self.svc.db.subscriptions.list():
            if sub.paused_reason:
                continue
            try:
                schedule = parse_schedule(sub.schedule, sub.timezone)
            except CommandError as exc:
                log.warning("subscription %s has a bad schedule: %s", sub.id, exc)
                continue
            watermark = await self.svc.db.deliveries.last_slot(sub.id) or sub.created_at or now
            slots = schedule.due_slots(watermark, now)
            if not slots:
                continue
            slot = slots[-1]  # coalesce missed slots to the latest
            if now - slot > GRACE:
                log.info("subscription %s: slot %s is past the grace period, skipped", sub.id, slot)
                continue
            delivery = await self.svc.db.deliveries.claim(sub.id, slot)
            await self.runner.submit(delivery.id)
            submitted.append(delivery.id)
        return submitted

    async def _safe_tick(self) -> None:
        try:
            await self.tick()
        except Exception:  # a bad tick is logged; the next one runs anyway
            log.exception("scheduler tick failed")

    def start(self) -> None:
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._aps.add_job(
            self._safe_tick,
            IntervalTrigger(seconds=self.tick_seconds),
            id="tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(self.tick_seconds),
            next_run_time=self.svc.now(),
        )
        self._aps.start()

    def shutdown(self) -> None:
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
        self._aps = None
