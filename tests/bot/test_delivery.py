"""deliver(delivery_id) is idempotent, and the scheduler claims each slot once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.delivery import Deliverer, InProcessRunner, Paused, Posted, PostResult, RetryAfter, Target
from bot.scheduler import Scheduler
from digests.message import Message
from digests.models import DeliveryState
from digests.pipeline import ingest_items
from tests.bot.test_handlers import FRESH


class RecordingPublisher:
    def __init__(self, *results: PostResult) -> None:
        self.results = list(results)
        self.posts: list[tuple[Target, Message, str]] = []

    async def post(self, target: Target, message: Message, *, key: str) -> PostResult:
        self.posts.append((target, message, key))
        return self.results.pop(0) if self.results else Posted(f"m{len(self.posts)}")


async def _subscribed(svc: Any) -> Any:
    await ingest_items(svc.db.articles, [FRESH])
    sub, _ = await svc.db.subscriptions.upsert(
        platform="console",
        workspace_id="w",
        channel_id="c",
        topic_id="ceasefire",
        schedule="daily 09:00",
        timezone="UTC",
    )
    return sub


async def test_a_slot_is_posted_once_however_often_it_is_delivered(svc: Any) -> None:
    sub = await _subscribed(svc)
    pub = RecordingPublisher()
    deliverer = Deliverer(svc, {"console": pub})
    slot = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    d1 = await svc.db.deliveries.claim(sub.id, slot)
    d2 = await svc.db.deliveries.claim(sub.id, slot)
    assert d1.id == d2.id
    first = await deliverer.deliver(d1.id)
    again = await deliverer.deliver(d1.id)
    assert isinstance(first, Posted) and again is DeliveryState.POSTED
    assert len(pub.posts) == 1
    target, message, key = pub.posts[0]
    assert target == Target("console", "w", "c") and key == f"nb-d{d1.id}" and len(key) <= 25
    assert "Negotiators meet" in message.sections[0].heading
    # the next slot has nothing new: skipped, not re-posted
    d3 = await svc.db.deliveries.claim(sub.id, slot + timedelta(days=1))
    assert await deliverer.deliver(d3.id) is DeliveryState.SKIPPED
    assert len(pub.posts) == 1


async def test_paused_result_pauses_the_subscription(svc: Any) -> None:
    sub = await _subscribed(svc)
    pub = RecordingPublisher(Paused("bot was removed from the channel"))
    deliverer = Deliverer(svc, {"console": pub})
    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    await deliverer.deliver(d.id)
    stored = await svc.db.subscriptions.get(sub.id)
    assert stored.paused_reason == "bot was removed from the channel"
    assert (await svc.db.deliveries.get(d.id)).state is DeliveryState.PAUSED


async def test_retry_after_is_retried_and_posts_once(svc: Any) -> None:
    sub = await _subscribed(svc)
    pub = RecordingPublisher(RetryAfter(0.01))
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    await runner.submit(d.id)
    await runner.drain()
    stored = await svc.db.deliveries.get(d.id)
    assert stored.state is DeliveryState.POSTED and stored.attempts == 2
    assert len(pub.posts) == 2  # one rate-limited attempt, one post


async def test_a_failing_publisher_is_recorded_not_raised(svc: Any) -> None:
    sub = await _subscribed(svc)

    class Broken:
        async def post(self, target: Target, message: Message, *, key: str) -> PostResult:
            raise ConnectionError("platform unreachable")

    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    assert await Deliverer(svc, {"console": Broken()}).deliver(d.id) is DeliveryState.FAILED
    stored = await svc.db.deliveries.get(d.id)
    assert stored.state is DeliveryState.FAILED and "platform unreachable" in stored.error


async def test_scheduler_ticks_claim_each_slot_once(svc: Any) -> None:
    sub = await _subscribed(svc)
    pub = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    sched = Scheduler(svc, runner)
    created = sub.created_at
    first_slot = created.replace(hour=9, minute=0, second=0, microsecond=0)
    if first_slot <= created:
        first_slot += timedelta(days=1)
    assert await sched.tick(first_slot - timedelta(minutes=1)) == []
    ids = await sched.tick(first_slot + timedelta(seconds=5))
    again = await sched.tick(first_slot + timedelta(seconds=35))
    other = Scheduler(svc, runner)  # a second scheduler ticking at the same time
    assert await other.tick(first_slot + timedelta(seconds=40)) == []
    await runner.drain()
    assert len(ids) == 1 and again == []
    assert len(pub.posts) == 1
    assert await svc.db.deliveries.count() == 1
