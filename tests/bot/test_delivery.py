"""deliver(delivery_id) is idempotent, and the scheduler claims each slot once."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.delivery import Deliverer, InProcessRunner, Paused, Posted, PostResult, RetryAfter, Target
from bot.scheduler import Scheduler
from digests.message import Message
from digests.models import ArticleInput, DeliveryState
from digests.pipeline import ingest_items
from tests.bot.test_handlers import FRESH

OLDER = ArticleInput(
    title="Ceasefire proposal floated in Kyiv",
    text="Ukraine's allies floated a ceasefire proposal in Kyiv on Monday.",
    url="https://news.example/older",
    source="Example News",
)
NEWER = ArticleInput(
    title="Truce holds along the front in Ukraine",
    text="A ceasefire between Russia and Ukraine held overnight, officials in Kyiv said.",
    url="https://news.example/newer",
    source="Example News",
)


class RecordingPublisher:
    def __init__(self, *results: PostResult) -> None:
        self.results = list(results)
        self.posts: list[tuple[Target, Message, str]] = []

    async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult:
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


async def test_a_slot_is_posted_once_however_often_it_is_delivered(store_svc: Any) -> None:
    svc = store_svc
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


async def test_paused_result_pauses_the_subscription(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    pub = RecordingPublisher(Paused("bot was removed from the channel"))
    deliverer = Deliverer(svc, {"console": pub})
    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    await deliverer.deliver(d.id)
    stored = await svc.db.subscriptions.get(sub.id)
    assert stored.paused_reason == "bot was removed from the channel"
    assert (await svc.db.deliveries.get(d.id)).state is DeliveryState.PAUSED


async def test_retry_after_is_retried_and_posts_once(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    pub = RecordingPublisher(RetryAfter(0.01))
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    await runner.submit(d.id)
    await runner.drain()
    stored = await svc.db.deliveries.get(d.id)
    assert stored.state is DeliveryState.POSTED and stored.attempts == 2
    assert len(pub.posts) == 2  # one rate-limited attempt, one post


async def test_a_failing_publisher_is_recorded_not_raised(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)

    class Broken:
        async def post(self, target: Target, message: Message, *, key: str, attempt: int | None = None) -> PostResult:
            raise ConnectionError("platform unreachable")

    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    assert await Deliverer(svc, {"console": Broken()}).deliver(d.id) is DeliveryState.FAILED
    stored = await svc.db.deliveries.get(d.id)
    assert stored.state is DeliveryState.FAILED and "platform unreachable" in stored.error


async def test_scheduler_ticks_claim_each_slot_once(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    pub = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    sched = Scheduler(svc, runner)
    created = sub.created_at
    first_slot = created.replace(hour=9, minute=0, second=0, microsecond=0)
    if first_slot <= created:
        first_slot += timedelta(days=1)
    clock = {"now": first_slot - timedelta(minutes=1)}
    svc.clock = lambda: clock["now"]

    async def tick_at(s: Scheduler, delta: timedelta) -> list[int]:
        clock["now"] = first_slot + delta
        return await s.tick()

    assert await tick_at(sched, -timedelta(minutes=1)) == []
    ids = await tick_at(sched, timedelta(seconds=5))
    again = await tick_at(sched, timedelta(seconds=35))
    other = Scheduler(svc, runner)  # a second scheduler ticking at the same time
    assert await tick_at(other, timedelta(seconds=40)) == []
    await runner.drain()
    assert len(ids) == 1 and again == []
    assert len(pub.posts) == 1
    assert await svc.db.deliveries.count() == 1


async def test_a_delivery_left_open_by_a_dead_worker_is_retried_once(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    slot = datetime(2026, 11, 27, 9, tzinfo=UTC)
    clock = {"now": slot}
    svc.clock = lambda: clock["now"]
    d = await svc.db.deliveries.claim(sub.id, slot)
    await svc.db.deliveries.start(d.id)  # the worker claimed and started it, then died
    pub = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    sched = Scheduler(svc, runner)
    clock["now"] = slot + timedelta(seconds=30)
    assert d.id not in await sched.tick()  # still inside the posting lease
    clock["now"] = slot + timedelta(minutes=3)
    assert d.id in await sched.tick()
    await runner.drain()
    assert len(pub.posts) == 1 and pub.posts[0][2] == f"nb-d{d.id}"  # same key: the platform can dedupe
    clock["now"] = slot + timedelta(minutes=10)
    assert d.id not in await sched.tick()


async def test_quiet_hours_skip_the_slot_and_the_next_digest_carries_its_stories(store_svc: Any) -> None:
    svc = store_svc
    await ingest_items(svc.db.articles, [FRESH])
    sub, _ = await svc.db.subscriptions.upsert(
        platform="console",
        workspace_id="w",
        channel_id="c",
        topic_id="ceasefire",
        schedule="every 2h",
        timezone="Europe/Kyiv",
        quiet_hours="22:00-07:00",
    )
    pub = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    sched = Scheduler(svc, runner)
    clock = {"now": datetime(2026, 11, 28, 0, 1, tzinfo=UTC)}  # 02:01 in Kyiv: quiet
    svc.clock = lambda: clock["now"]
    past = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 22, tzinfo=UTC))  # 00:00 Kyiv
    await svc.db.deliveries.finish(past.id, DeliveryState.SKIPPED)
    await sched.tick()
    await runner.drain()
    assert pub.posts == []
    clock["now"] = datetime(2026, 11, 28, 6, 1, tzinfo=UTC)  # 08:01 Kyiv: the 08:00 slot
    await sched.tick()
    await runner.drain()
    assert len(pub.posts) == 1 and "Negotiators meet" in pub.posts[0][1].sections[0].heading


async def test_downtime_gives_one_catch_up_digest_not_a_burst(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    pub = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    start = datetime(2026, 11, 20, 9, tzinfo=UTC)
    past = await svc.db.deliveries.claim(sub.id, start)  # the last slot before a week of downtime
    await svc.db.deliveries.finish(past.id, DeliveryState.SKIPPED)
    svc.clock = lambda: datetime(2026, 11, 27, 12, tzinfo=UTC)
    ids = await Scheduler(svc, runner).tick()
    await runner.drain()
    assert len(ids) == 1  # one slot for the whole gap
    assert await svc.db.deliveries.last_slot(sub.id) == datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert len(pub.posts) == 1  # the story goes out once


async def test_live_mode_posts_each_new_story_rate_limited(store_svc: Any) -> None:
    svc = store_svc
    await ingest_items(svc.db.articles, [OLDER])  # before subscribing: not "new"
    await svc.db.subscriptions.upsert(
        platform="console",
        workspace_id="w",
        channel_id="c",
        topic_id="ceasefire",
        schedule="live",
        timezone="UTC",
        mode="live",
    )
    pub = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    sched = Scheduler(svc, runner)
    assert await sched.tick() == []
    await ingest_items(svc.db.articles, [FRESH])
    start = datetime.now(UTC)
    clock = {"now": start}
    svc.clock = lambda: clock["now"]
    await sched.tick()
    await runner.drain()
    assert len(pub.posts) == 1 and "Negotiators meet" in pub.posts[0][1].sections[0].heading
    await ingest_items(svc.db.articles, [NEWER])
    clock["now"] = start + timedelta(minutes=1)
    assert await sched.tick() == []  # a new story, but too soon after the last post
    clock["now"] = start + timedelta(minutes=11)
    await sched.tick()
    await runner.drain()
    assert len(pub.posts) == 2 and "Truce holds" in pub.posts[1][1].sections[0].heading


async def test_two_slots_in_flight_never_post_the_same_story_twice(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    pub = RecordingPublisher()
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    a = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    b = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 28, 9, tzinfo=UTC))
    await runner.submit(a.id)
    await runner.submit(b.id)
    await runner.drain()
    assert len(pub.posts) == 1


class ProbedPublisher(RecordingPublisher):
    def __init__(self, *results: PostResult) -> None:
        super().__init__(*results)
        self.problem: str | None = "channel_not_found"

    async def can_post(self, target: Target) -> str | None:
        return self.problem


async def test_a_pause_is_reported_to_the_ops_channel_and_lifts_itself(store_svc: Any) -> None:
    svc = store_svc
    sub = await _subscribed(svc)
    await svc.db.subscriptions.set_workspace("console", "w", ops_channel="ops")
    pub = ProbedPublisher(Paused("channel_not_found"))
    svc.publishers["console"] = pub
    runner = InProcessRunner(Deliverer(svc, {"console": pub}))
    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    await runner.submit(d.id)
    await runner.drain()
    assert (await svc.db.subscriptions.get(sub.id)).paused_reason == "channel_not_found"
    notice = pub.posts[-1]
    assert notice[0].channel_id == "ops" and "Paused" in notice[1].title and "/news resume ceasefire" in notice[1].intro
    sched = Scheduler(svc, runner)
    clock = {"now": datetime(2026, 11, 27, 10, tzinfo=UTC)}
    svc.clock = lambda: clock["now"]
    await sched.tick()
    assert (await svc.db.subscriptions.get(sub.id)).paused_reason  # still cannot post
    pub.problem = None
    clock["now"] += timedelta(minutes=30)
    await sched.tick()
    assert (await svc.db.subscriptions.get(sub.id)).paused_reason  # probed at most hourly
    clock["now"] += timedelta(hours=1)
    await sched.tick()
    assert (await svc.db.subscriptions.get(sub.id)).paused_reason is None


async def test_stop_lets_a_tick_in_progress_finish(store_svc: Any) -> None:
    """APScheduler cancels running jobs when it shuts down; a tick cut off half-way through a
    database call can leave a connection that never closes, so stop() must let the tick finish."""
    import asyncio

    svc = store_svc
    entered, release = asyncio.Event(), asyncio.Event()
    finished: list[bool] = []

    class SlowScheduler(Scheduler):
        async def tick(self, now: datetime | None = None) -> list[int]:
            entered.set()
            await release.wait()
            finished.append(True)
            return []

    sched = SlowScheduler(svc, InProcessRunner(Deliverer(svc, {"console": RecordingPublisher()})))
    sched.start()
    await asyncio.wait_for(entered.wait(), 10)
    stopping = asyncio.ensure_future(sched.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waits for the tick rather than cancelling it
    release.set()
    await asyncio.wait_for(stopping, 10)
    assert finished == [True]


class NotifyingPublisher(RecordingPublisher):
    """Offers ``notify_admins``: records each call and says everyone got it."""

    def __init__(self, *results: PostResult) -> None:
        super().__init__(*results)
        self.notices: list[tuple[str, tuple[str, ...], Message, str]] = []

    async def notify_admins(self, workspace_id: str, admin_ids: Any, message: Message, *, key: str) -> int:
        self.notices.append((workspace_id, tuple(admin_ids), message, key))
        return len(admin_ids)


async def _pause_once(svc: Any, pub: NotifyingPublisher, *, ops: str | None = None) -> tuple[Any, Deliverer, int]:
    await ingest_items(svc.db.articles, [FRESH])
    sub, _ = await svc.db.subscriptions.upsert(
        platform="console", workspace_id="w", channel_id="c", topic_id="ceasefire", schedule="daily 09:00",
        timezone="UTC", created_by="U1",
    )  # fmt: skip
    if ops:
        await svc.db.subscriptions.set_workspace("console", "w", ops_channel=ops)
    deliverer = Deliverer(svc, {"console": pub})
    d = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 27, 9, tzinfo=UTC))
    assert isinstance(await deliverer.deliver(d.id), Paused)
    return sub, deliverer, d.id


async def test_a_pause_without_ops_channel_is_told_to_the_admins_directly_once(store_svc: Any) -> None:
    svc = store_svc
    pub = NotifyingPublisher(Paused("channel_not_found"))
    sub, deliverer, paused_by = await _pause_once(svc, pub)
    [(workspace, admins, message, key)] = pub.notices
    assert (workspace, admins, key) == ("w", ("U1",), f"nb-p{paused_by}")  # the subscription's creator
    assert "Paused" in message.title and "/news resume ceasefire" in (message.intro or "")
    assert len(pub.posts) == 1  # the digest attempt only: no channel post
    later = await svc.db.deliveries.claim(sub.id, datetime(2026, 11, 28, 9, tzinfo=UTC))
    assert await deliverer.deliver(later.id) is DeliveryState.PAUSED
    assert len(pub.notices) == 1  # the pause is told once, not once per slot


async def test_an_ops_channel_that_takes_the_post_gets_it_instead_of_dms(store_svc: Any) -> None:
    pub = NotifyingPublisher(Paused("channel_not_found"))
    _, _, paused_by = await _pause_once(store_svc, pub, ops="ops")
    assert pub.notices == []
    assert [(t.channel_id, key) for t, _, key in pub.posts[1:]] == [("ops", f"nb-p{paused_by}")]


async def test_the_paused_channel_as_ops_channel_means_dms(store_svc: Any) -> None:
    pub = NotifyingPublisher(Paused("channel_not_found"))
    await _pause_once(store_svc, pub, ops="c")
    assert len(pub.posts) == 1 and len(pub.notices) == 1


async def test_an_ops_channel_that_refuses_the_post_falls_back_to_dms(store_svc: Any) -> None:
    pub = NotifyingPublisher(Paused("channel_not_found"), Paused("ops channel archived"))
    await _pause_once(store_svc, pub, ops="ops")
    assert [t.channel_id for t, _, _ in pub.posts] == ["c", "ops"]
    assert len(pub.notices) == 1


async def test_a_rate_limited_channel_is_paced_without_spending_attempts(store_svc: Any) -> None:
    from bot.delivery import PACED

    svc = store_svc
    sub = await _subscribed(svc)
    other, _ = await svc.db.subscriptions.upsert(
        platform="console", workspace_id="w", channel_id="c", topic_id="ukraine-war", schedule="daily 09:00",
        timezone="UTC", on_empty="say",
    )  # fmt: skip
    pub = RecordingPublisher(RetryAfter(30.0))
    deliverer = Deliverer(svc, {"console": pub})
    slot = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    first = await svc.db.deliveries.claim(sub.id, slot)
    second = await svc.db.deliveries.claim(other.id, slot)
    result = await deliverer.deliver(first.id)
    assert isinstance(result, RetryAfter) and result.reason != PACED
    paced = await deliverer.deliver(second.id)  # same channel, inside the platform's wait
    assert isinstance(paced, RetryAfter) and paced.reason == PACED and 0 < paced.seconds <= 30
    assert len(pub.posts) == 1  # no second request to the platform
    untouched = await svc.db.deliveries.get(second.id)
    assert untouched.attempts == 0 and untouched.state is DeliveryState.PENDING


async def test_a_crashing_delivery_is_logged_not_lost_silently(monkeypatch: Any) -> None:
    import bot.delivery

    class Crashing:
        async def deliver(self, delivery_id: int) -> None:
            raise RuntimeError("database is locked")

    logged: list[str] = []

    class Log:  # the module's logger, recorded (other tests' logging set-up varies)
        def exception(self, msg: str, *args: object) -> None:
            logged.append(msg % args)

    monkeypatch.setattr(bot.delivery, "log", Log())
    runner = InProcessRunner(Crashing())  # type: ignore[arg-type]
    await runner.submit(12)
    await runner.drain()
    assert any("delivery 12 stopped" in m for m in logged)


async def test_stopping_the_scheduler_mid_tick_finishes_the_tick_and_logs_no_error(
    store_svc: Any, caplog: pytest.LogCaptureFixture
) -> None:
    entered, release, finished = asyncio.Event(), asyncio.Event(), asyncio.Event()

    class SlowScheduler(Scheduler):
        async def tick(self) -> list[int]:
            entered.set()
            await release.wait()
            finished.set()
            return []

    sched = SlowScheduler(store_svc, InProcessRunner(Deliverer(store_svc, {})), tick_seconds=60)
    sched.start()
    await asyncio.wait_for(entered.wait(), 5)
    sched.shutdown()  # APScheduler cancels the running job
    await asyncio.sleep(0.05)
    release.set()
    await asyncio.wait_for(sched.stop(), 5)
    assert finished.is_set()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
