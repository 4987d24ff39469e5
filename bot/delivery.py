"""Delivery: one idempotent ``deliver(delivery_id)`` behind a job-runner port, and the narrow port
adapters post through.

The ledger row (unique per subscription and slot) is what makes a slot post once: ``deliver`` only
posts an open row, marks it as posting first, and passes the delivery's key to the platform so
that a retry after an unclear attempt can be recognised there (Discord nonce, Slack metadata).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Protocol

from bot.metrics import DELIVERIES_FAILED, DELIVERIES_RETRIED, DELIVERIES_SENT, DELIVERY_LAG
from bot.services import Services
from digests.digest import build_digest, group_stories, matching
from digests.message import Message, Tone
from digests.models import Delivery, DeliveryState, Story, Subscription
from digests.topics import Topic

__all__ = [
    "AlreadyPosted",
    "Deliverer",
    "InProcessRunner",
    "JobRunner",
    "Paused",
    "PostResult",
    "Posted",
    "Publisher",
    "RetryAfter",
    "Target",
    "delivery_key",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Target:
    platform: str
    workspace_id: str
    channel_id: str


@dataclass(frozen=True, slots=True)
class Posted:
    message_id: str


@dataclass(frozen=True, slots=True)
class AlreadyPosted:
    message_id: str


@dataclass(frozen=True, slots=True)
class RetryAfter:
    seconds: float
    reason: str = "rate limited"


PACED = "waiting for the channel's rate limit"  # RetryAfter reason: not attempted, nothing written


@dataclass(frozen=True, slots=True)
class Paused:
    reason: str


PostResult = Posted | AlreadyPosted | RetryAfter | Paused


class Publisher(Protocol):
    """What an adapter offers for scheduled posts.

    ``key`` identifies the delivery across attempts (Discord nonce, Slack metadata); ``attempt``
    is 1 on the first try, so a publisher can skip reconciling an earlier, unclear attempt.
    An adapter may also offer ``async can_post(target) -> str | None`` (None: it can post there;
    else the reason), which ``/news subscribe`` checks before storing anything and the scheduler
    asks to resume a paused subscription; and ``async notify_admins(workspace_id, admin_ids,
    message, *, key) -> int`` (direct messages to those admins, plus any the platform knows of;
    returns how many got it), which reports a pause where no ops channel takes it.
    """

    async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult: ...


class JobRunner(Protocol):
    """Runs deliveries: in process here; a task queue on PostgreSQL later."""

    async def submit(self, delivery_id: int) -> None: ...

    async def drain(self) -> None: ...


def delivery_key(delivery_id: int) -> str:
    """A short, stable key for a delivery (fits Discord's 25-character nonce)."""
    return f"nb-d{delivery_id}"


class Deliverer:
    """``deliver(delivery_id)``: build the slot's digest and post it, at most once."""

    def __init__(self, svc: Services, publishers: Mapping[str, Publisher]) -> None:
        self.svc = svc
        self.publishers = publishers
        # One delivery per subscription at a time in this process, so that two slots in flight
        # cannot both pick the same new story.
        self._locks: dict[int, asyncio.Lock] = {}
        # A slot's thousands of deliveries share a handful of (topic, workspace) story lists: keep
        # them while the article store is unchanged.
        self._stories: dict[tuple[str, str, str], tuple[tuple[int, str], list[Story]]] = {}
        # A channel told to wait (429) is not posted to again before then: the deliveries queued
        # behind it come back as RetryAfter(PACED) without a ledger write or a request.
        self._paced_until: dict[Target, float] = {}

    async def _topic_stories(self, topic: Topic, platform: str, workspace_id: str) -> list[Story]:
        db = self.svc.db
        version = await db.articles.version()
        key = (topic.id, platform, workspace_id)
        cached = self._stories.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        visible = await db.articles.recent(limit=2000, scope=(platform, workspace_id))
        stories = group_stories(matching(topic, visible))
        if len(self._stories) > 1000:
            self._stories.clear()
        self._stories[key] = (version, stories)
        return stories

    async def deliver(self, delivery_id: int, *, say_empty: bool = False) -> PostResult | DeliveryState:
        """Post the delivery's digest of the stories not yet posted to its channel, at most once.
        ``say_empty`` posts "nothing new" rather than skipping when there is nothing new (the
        console's digest at start-up), whatever the subscription's ``empty`` setting."""
        current = await self.svc.db.deliveries.get(delivery_id)
        if current is None:
            return DeliveryState.FAILED
        lock = self._locks.setdefault(current.subscription_id, asyncio.Lock())
        async with lock:
            return await self._deliver(delivery_id, current, say_empty=say_empty)

    async def deliver_now(self, sub: Subscription) -> PostResult | DeliveryState:
        """A digest for ``sub`` now, outside its schedule (the console posts one at start-up), as a
        delivery of the ledger: its stories count as posted to the channel, so the next scheduled
        slot does not post them again, and the slots it stands in for are not caught up on."""
        slot = self.svc.now()
        delivery = await self.svc.db.deliveries.claim(sub.id, slot)
        return await self.deliver(delivery.id, say_empty=True)

    async def _deliver(self, delivery_id: int, current: Delivery, *, say_empty: bool) -> PostResult | DeliveryState:
        db = self.svc.db
        if current.state in (DeliveryState.POSTED, DeliveryState.SKIPPED, DeliveryState.PAUSED):
            return current.state
        sub = await db.subscriptions.get(current.subscription_id)
        if sub is None:
            await db.deliveries.finish(delivery_id, DeliveryState.FAILED, error="subscription removed")
            return DeliveryState.FAILED
        if sub.paused_reason:
            await db.deliveries.finish(delivery_id, DeliveryState.PAUSED, error=sub.paused_reason)
            return DeliveryState.PAUSED
        # a config topic wins over a workspace's keyword topic of the same id (see topics_for):
        # only the others need the workspace's topics read
        topic = self.svc.topics.get(sub.topic_id) or (await self.svc.topics_for(sub.platform, sub.workspace_id)).get(
            sub.topic_id
        )
        publisher = self.publishers.get(sub.platform)
        if topic is None or publisher is None:
            why = f"unknown topic {sub.topic_id}" if topic is None else f"no {sub.platform} adapter running"
            await db.deliveries.finish(delivery_id, DeliveryState.FAILED, error=why)
            await db.subscriptions.record_error(sub.id, why)
            DELIVERIES_FAILED.labels(reason="error").inc()
            return DeliveryState.FAILED
        target = Target(sub.platform, sub.workspace_id, sub.channel_id)
        wait = self._paced_until.get(target, 0.0) - time.monotonic()
        if wait > 0:  # the platform asked this channel to wait: don't spend an attempt on a sure 429
            return RetryAfter(wait, PACED)
        started = await db.deliveries.start(delivery_id)
        if started is None:
            return DeliveryState.POSTED  # closed by another worker meanwhile
        if started.attempts > 1:
            DELIVERIES_RETRIED.inc()
        already = await db.deliveries.posted_story_ids(sub.id)
        all_stories = await self._topic_stories(topic, sub.platform, sub.workspace_id)
        stories = [s for s in all_stories if s.id not in already]
        limit = sub.max_stories
        if sub.mode == "live":  # one post per story that arrived since subscribing, oldest first
            limit = 1
            since = sub.created_at
            stories = sorted(
                (s for s in stories if since is None or max(a.ingested_at for a in s.articles) >= since),
                key=lambda s: max(a.ingested_at for a in s.articles),
            )
        shown = stories[:limit]
        if not shown and not say_empty and (sub.on_empty != "say" or sub.mode == "live"):
            await db.deliveries.finish(delivery_id, DeliveryState.SKIPPED, story_ids=[])
            return DeliveryState.SKIPPED
        message = build_digest(
            topic, shown, now=self.svc.now(), max_stories=limit, max_sentences=self.svc.settings.summary_sentences
        )
        if not shown:
            message = Message(
                f"{topic.title}: nothing new since the last digest",
                intro=f"`/news digest {topic.id}` shows the latest stories again.",
                tone=message.tone,
            )
        try:
            result = await publisher.post(target, message, key=delivery_key(delivery_id), attempt=started.attempts)
        except Exception as exc:
            log.exception("delivery %s failed", delivery_id)
            error = f"{type(exc).__name__}: {exc}"
            await db.deliveries.finish(delivery_id, DeliveryState.FAILED, error=error)
            await db.subscriptions.record_error(sub.id, error)
            DELIVERIES_FAILED.labels(reason="error").inc()
            return DeliveryState.FAILED
        ids = [s.id for s in shown]
        if isinstance(result, Posted | AlreadyPosted):
            await db.deliveries.finish(delivery_id, DeliveryState.POSTED, message_id=result.message_id, story_ids=ids)
            await db.subscriptions.record_error(sub.id, None)
            DELIVERIES_SENT.inc()
            slot = current.slot if current.slot.tzinfo else current.slot.replace(tzinfo=UTC)
            DELIVERY_LAG.observe(max((self.svc.now() - slot).total_seconds(), 0.0))
        elif isinstance(result, RetryAfter):
            until = time.monotonic() + result.seconds
            if until > self._paced_until.get(target, 0.0):
                if len(self._paced_until) > 10_000:
                    now_m = time.monotonic()
                    self._paced_until = {k: v for k, v in self._paced_until.items() if v > now_m}
                self._paced_until[target] = until
            error = f"{result.reason}; retry after {result.seconds:.0f}s"
            await db.deliveries.finish(delivery_id, DeliveryState.FAILED, error=error)
            await db.subscriptions.record_error(sub.id, error)
            DELIVERIES_FAILED.labels(reason="rate_limited").inc()
        else:
            log.warning("subscription %s paused: %s", sub.id, result.reason)
            await db.subscriptions.set_paused(sub.id, result.reason)
            await db.deliveries.finish(delivery_id, DeliveryState.PAUSED, error=result.reason)
            await self._tell_admins(sub, topic, result.reason, publisher, delivery_id)
            DELIVERIES_FAILED.labels(reason="paused").inc()
        return result

    async def _tell_admins(
        self, sub: Subscription, topic: Topic, reason: str, publisher: Publisher, delivery_id: int
    ) -> None:
        """Tell the workspace's admins of a pause, once: only the delivery whose post paused the
        subscription calls this (later ones find it paused and post nothing), and the notice
        carries that delivery's key, so a platform that deduplicates (Discord) never doubles it.

        In the ops channel when one is set, is not the paused channel and takes the post; else by
        direct message when the publisher offers ``notify_admins``: to the workspace's stored
        admins and the subscription's creator (the publisher adds what its platform knows: Slack's
        configured admins; Discord's server owner when nobody is known). The pause shows in
        ``/news subscriptions`` and the log either way."""
        store = self.svc.db.subscriptions
        ws = await store.workspace(sub.platform, sub.workspace_id)
        notice = Message(
            f"Paused: the {topic.title} digest in #{sub.channel_id}",
            intro=f"{reason}. Fix it, then run `/news resume {topic.id}` in that channel; "
            "it also resumes by itself once the bot can post there again.",
            tone=Tone.ERROR,
        )
        key = f"nb-p{delivery_id}"
        if ws.ops_channel and ws.ops_channel != sub.channel_id:
            ops = Target(sub.platform, sub.workspace_id, ws.ops_channel)
            try:
                result = await publisher.post(ops, notice, key=key)
            except Exception:
                log.warning("could not report the pause of subscription %s in the ops channel", sub.id, exc_info=True)
            else:
                if isinstance(result, Posted | AlreadyPosted):
                    return
                log.warning("could not report the pause of subscription %s in the ops channel: %s", sub.id, result)
        notify = getattr(publisher, "notify_admins", None)
        if notify is None:
            return
        creator = await store.created_by(sub.id)
        admins = tuple(dict.fromkeys([*ws.admin_ids, *([creator] if creator else [])]))
        try:
            told = await notify(sub.workspace_id, admins, notice, key=key)
        except Exception:
            log.warning("could not tell the admins of the pause of subscription %s", sub.id, exc_info=True)
            return
        log.info("pause of subscription %s reported to %s admin(s) by direct message", sub.id, told)


class InProcessRunner:
    """Runs each delivery as a task in this process, at most ``concurrency`` at a time (back-pressure
    for the database and the platform), honouring ``RetryAfter`` a few times."""

    def __init__(self, deliverer: Deliverer, *, max_retries: int = 3, concurrency: int = 16) -> None:
        self.deliverer = deliverer
        self.max_retries = max_retries
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, delivery_id: int) -> None:
        task = asyncio.create_task(self._run(delivery_id), name=f"deliver-{delivery_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, delivery_id: int) -> None:
        attempts = 0
        while attempts <= self.max_retries:
            async with self._slots:
                try:
                    result = await self.deliverer.deliver(delivery_id)
                except Exception:  # e.g. the database busy past its timeout: the ledger still has it
                    log.exception("delivery %s stopped; the scheduler's recovery submits it again", delivery_id)
                    return
            if not isinstance(result, RetryAfter):
                return
            if result.reason != PACED:  # waiting its turn behind a rate-limited channel is no attempt
                attempts += 1
            await asyncio.sleep(min(result.seconds, 300))

    async def drain(self) -> None:
        """Wait for the deliveries in flight (used at shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
