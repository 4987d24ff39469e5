"""The scheduler: a thin wrapper over APScheduler 3's ``AsyncIOScheduler``.

APScheduler only ticks (one interval job); the calendar comes from each subscription's schedule
(``bot.schedule``) and the database is the source of truth. Each tick:

1. re-submits open deliveries: pending or failed ones (below the attempt limit), and ones left
   "posting" by a worker that died mid-post (the platform's idempotency then keeps the post single:
   Discord's nonce within its window, Slack's metadata reconciliation);
2. finds each subscription's due slot since its last ledger entry and claims the ledger row (unique
   per subscription and slot, so any number of ticks or processes create it once). Slots missed
   while the bot was down coalesce into one: within the grace period it is the missed slot itself,
   past it one catch-up digest at the latest slot, never a burst. A slot inside the subscription's
   quiet hours is recorded as skipped; its stories go into the next digest.
3. live subscriptions get a slot (the current minute) whenever a new story is waiting and the last
   post is at least the minimum interval old.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.aio import background
from bot.delivery import JobRunner, Target
from bot.schedule import parse_schedule
from bot.services import Services
from digests.digest import group_stories, matching
from digests.errors import CommandError
from digests.models import Delivery, DeliveryState, Subscription

__all__ = ["Scheduler", "in_quiet_hours"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
POSTING_LEASE = timedelta(minutes=2)
RESUME_PROBE = timedelta(hours=1)


def in_quiet_hours(quiet: str | None, local: datetime) -> bool:
    """True when the local time falls in ``HH:MM-HH:MM`` (which may wrap past midnight)."""
    if not quiet:
        return False
    a, b = (time.fromisoformat(part) for part in quiet.split("-"))
    now = local.time().replace(second=0, microsecond=0, tzinfo=None)
    return a <= now < b if a < b else (now >= a or now < b)


class Scheduler:
    def __init__(self, svc: Services, runner: JobRunner, *, tick_seconds: float = 30.0) -> None:
        self.svc = svc
        self.runner = runner
        self.tick_seconds = tick_seconds
        self._aps: AsyncIOScheduler | None = None
        self._probed: dict[int, datetime] = {}
        self._next_slot: dict[int, tuple[tuple[str, str, datetime], datetime | None]] = {}
        self._idle = asyncio.Event()  # set while no tick runs
        self._idle.set()

    async def tick(self, now: datetime | None = None) -> list[int]:
        """Claim and submit every due slot, and re-submit open ones; returns the delivery ids."""
        now = now or self.svc.now()
        submitted: list[int] = []
        for delivery in await self.svc.db.deliveries.open_deliveries(
            stale_before=now - POSTING_LEASE, max_attempts=MAX_ATTEMPTS
        ):
            if delivery.state is DeliveryState.FAILED and delivery.updated_at is not None:
                backoff = POSTING_LEASE * 2 ** max(delivery.attempts - 1, 0)  # 2, 4, 8, 16 minutes
                if now - delivery.updated_at < backoff:
                    continue
            await self.runner.submit(delivery.id)
            submitted.append(delivery.id)
        last_slots = await self.svc.db.deliveries.last_slots()
        due: list[tuple[int, datetime]] = []
        subs = {}
        for sub in await self.svc.db.subscriptions.list():
            if sub.paused_reason:
                await self._maybe_resume(sub, now)
                continue
            subs[sub.id] = sub
            try:
                if sub.mode == "live":
                    slot = await self._live_slot(sub, now, last_slots.get(sub.id))
                else:
                    slot = self._due_slot(sub, now, last_slots.get(sub.id))
            except CommandError as exc:
                log.warning("subscription %s has a bad schedule: %s", sub.id, exc)
                continue
            if slot is not None:
                due.append((sub.id, slot))
        for delivery in _by_channel_turns(await self.svc.db.deliveries.claim_many(due), subs):
            if delivery.id in submitted:
                continue
            sub = subs[delivery.subscription_id]
            if in_quiet_hours(sub.quiet_hours, delivery.slot.astimezone(ZoneInfo(sub.timezone))):
                await self.svc.db.deliveries.finish(delivery.id, DeliveryState.SKIPPED, error="quiet hours")
                continue
            await self.runner.submit(delivery.id)
            submitted.append(delivery.id)
        return submitted

    def _due_slot(self, sub: Subscription, now: datetime, last: datetime | None) -> datetime | None:
        watermark = last or sub.created_at or now
        key = (sub.schedule, sub.timezone, watermark)
        known = self._next_slot.get(sub.id)
        if known is not None and known[0] == key and (known[1] is None or known[1] > now):
            return None  # its next slot (computed from the same schedule and watermark) is still ahead
        schedule = parse_schedule(sub.schedule, sub.timezone)
        latest: datetime | None = None
        probe = schedule.next_after(watermark)
        while probe is not None and probe <= now:  # walk to the latest due slot (coalescing)
            latest = probe
            probe = schedule.next_after(probe)
        if latest is None:
            # cron arithmetic costs ~0.2 ms a call: with 10,000 subscriptions a tick would spend
            # seconds on it, so each subscription's next slot is kept until it comes or changes
            if len(self._next_slot) > 200_000:
                self._next_slot.clear()
            self._next_slot[sub.id] = (key, probe)
        if latest is not None and now - latest > timedelta(hours=self.svc.settings.delivery_grace_hours):
            log.info("subscription %s: catching up with one digest at %s", sub.id, latest)
        return latest

    async def _live_slot(self, sub: Subscription, now: datetime, last: datetime | None) -> datetime | None:
        if last is not None and now - last < timedelta(minutes=self.svc.settings.live_min_interval_minutes):
            return None
        topic = (await self.svc.topics_for(sub.platform, sub.workspace_id)).get(sub.topic_id)
        if topic is None:
            return None
        posted = await self.svc.db.deliveries.posted_story_ids(sub.id)
        since = last or sub.created_at
        recent = await self.svc.db.articles.recent(since=None, limit=500, scope=(sub.platform, sub.workspace_id))
        fresh = [
            s
            for s in group_stories(matching(topic, recent))
            if s.id not in posted and (since is None or max(a.ingested_at for a in s.articles) >= since)
        ]
        return now.replace(second=0, microsecond=0) if fresh else None

    async def _maybe_resume(self, sub: Subscription, now: datetime) -> None:
        """A paused subscription resumes by itself once the adapter says it can post there again
        (asked at most once per ``RESUME_PROBE``)."""
        can_post = getattr(self.svc.publishers.get(sub.platform), "can_post", None)
        last = self._probed.get(sub.id)
        if can_post is None or (last is not None and now - last < RESUME_PROBE):
            return
        self._probed[sub.id] = now
        try:
            problem = await can_post(Target(sub.platform, sub.workspace_id, sub.channel_id))
        except Exception:
            log.warning("probing paused subscription %s failed", sub.id, exc_info=True)
            return
        if problem is None:
            log.info("subscription %s resumes: the bot can post in %s again", sub.id, sub.channel_id)
            await self.svc.db.subscriptions.resume(sub.id)

    async def _logged_tick(self) -> None:
        self._idle.clear()
        try:
            await self.tick()
        except Exception:  # a bad tick is logged; the next one runs anyway
            log.exception("scheduler tick failed")
        finally:
            self._idle.set()

    async def _safe_tick(self) -> None:
        # APScheduler's AsyncIOExecutor cancels running jobs on shutdown(wait=False). A tick
        # cancelled half-way through a database call can leave a connection that never closes
        # (aiosqlite 0.22 hangs the process at exit), so the tick runs as its own task and the
        # job only waits for it: cancelling the job leaves the tick to finish; ``stop`` waits.
        # The job's own cancellation is that planned shutdown, not a failure for APScheduler to log.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(background(self._logged_tick(), "scheduler-tick"))

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
        """Stop ticking (a tick in progress goes on; ``stop`` waits for it)."""
        if self._aps is not None and self._aps.running:
            self._aps.shutdown(wait=False)
        self._aps = None

    async def stop(self) -> None:
        """Stop ticking and wait for a tick in progress to finish."""
        self.shutdown()
        await self._idle.wait()


def _by_channel_turns(deliveries: list[Delivery], subs: dict[int, Subscription]) -> list[Delivery]:
    """Deliveries in turns across channels (each channel's first, then each one's second, ...): a
    channel with many subscriptions hits its per-channel rate limit, and its deliveries should not
    fill every worker slot while the other channels wait."""
    queues: dict[tuple[str, str, str], list[Delivery]] = {}
    for d in deliveries:
        sub = subs.get(d.subscription_id)
        key = (sub.platform, sub.workspace_id, sub.channel_id) if sub else ("", "", str(d.subscription_id))
        queues.setdefault(key, []).append(d)
    ordered: list[Delivery] = []
    depth = max((len(q) for q in queues.values()), default=0)
    for i in range(depth):
        ordered.extend(q[i] for q in queues.values() if i < len(q))
    return ordered
