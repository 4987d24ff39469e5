"""Scheduled posts through the Slack publisher and the real Deliverer, against the fake Web API."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.publisher import METADATA_TYPE
from bot.delivery import AlreadyPosted, Deliverer, Paused, Posted, RetryAfter, Target, delivery_key
from digests.message import Line, LineKind, Message, Section
from digests.models import DeliveryState
from tests.fakes.slack_api import FakeSlack

SLOT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
MENTIONS = "<!channel> <!here> <!everyone> <!subteam^S0TEAM|@team> <@U0BOSS> &lt;!channel&gt;"


@pytest.fixture
async def slack(seeded: Any, slack_settings: Any) -> SlackAdapter:
    seeded.settings = slack_settings
    return SlackAdapter(seeded, slack_settings)  # the publisher needs no server


async def _delivery(svc: Any, channel: str = "C1", topic: str = "ceasefire") -> tuple[int, int]:
    sub, _ = await svc.db.subscriptions.upsert(
        platform="slack", workspace_id="T1", channel_id=channel, topic_id=topic, schedule="daily 09:00", timezone="UTC"
    )
    delivery = await svc.db.deliveries.claim(sub.id, SLOT)
    return sub.id, delivery.id


def _deliverer(svc: Any, slack: SlackAdapter) -> Deliverer:
    return Deliverer(svc, {"slack": slack.publisher})


def _wire_texts(post: dict[str, Any]) -> list[str]:
    blocks = post["blocks"] if isinstance(post["blocks"], list) else json.loads(post["blocks"])
    texts = [post["text"]]
    for block in blocks:
        texts.extend(re.findall(r'"text": "((?:[^"\\]|\\.)*)"', json.dumps(block, ensure_ascii=False)))
    return texts


def _check_wire(post: dict[str, Any]) -> None:
    """What reached chat.postMessage is valid Block Kit within Slack's limits, with unfurling off."""
    blocks = post["blocks"] if isinstance(post["blocks"], list) else json.loads(post["blocks"])
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    assert post["unfurl_links"] in (False, "false", "0") and post["unfurl_media"] in (False, "false", "0")
    assert "link_names" not in post and "parse" not in post


async def test_scheduled_post_carries_metadata_and_posts_once(
    seeded: Any, slack: SlackAdapter, fake: FakeSlack
) -> None:
    _, delivery_id = await _delivery(seeded)
    result = await _deliverer(seeded, slack).deliver(delivery_id)
    assert isinstance(result, Posted)
    posts = fake.posts("C1")
    assert posts and fake.calls_to("chat.postMessage")[0].token == "xoxb-one"
    for part, post in enumerate(posts):
        _check_wire(post)
        assert post["metadata"] == {
            "event_type": METADATA_TYPE,
            "event_payload": {"delivery": delivery_key(delivery_id), "part": part},
        }
    assert await _deliverer(seeded, slack).deliver(delivery_id) is DeliveryState.POSTED
    assert len(fake.posts("C1")) == len(posts)  # the ledger: a slot posts once
    row = await seeded.db.deliveries.get(delivery_id)
    assert row.message_id == posts[0]["ts"]


async def test_rate_limit_is_waited_out(seeded: Any, slack: SlackAdapter, fake: FakeSlack) -> None:
    _, delivery_id = await _delivery(seeded)
    fake.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    assert isinstance(await _deliverer(seeded, slack).deliver(delivery_id), Posted)
    calls = fake.calls_to("chat.postMessage")
    assert len(calls) >= 2 and calls[1].at - calls[0].at >= 1.0
    assert time.monotonic() - started >= 1.0
    assert len(fake.posts("C1")) == len(calls) - 1


async def test_rate_limited_beyond_retries_is_retry_after(slack: SlackAdapter, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=1, times=3)
    result = await slack.publisher.post(Target("slack", "T1", "C1"), Message("hello"), key="nb-d1")
    assert isinstance(result, RetryAfter) and result.seconds >= 1
    assert not fake.posts()


async def test_server_error_is_retried(slack: SlackAdapter, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=500)
    result = await slack.publisher.post(Target("slack", "T1", "C1"), Message("hello"), key="nb-d2")
    assert isinstance(result, Posted) and len(fake.posts()) == 1


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived", "token_revoked"])
async def test_dead_channel_pauses_the_subscription(
    seeded: Any, slack: SlackAdapter, fake: FakeSlack, error: str
) -> None:
    sub_id, delivery_id = await _delivery(seeded, channel="CGONE")
    fake.channel_errors["CGONE"] = error
    result = await _deliverer(seeded, slack).deliver(delivery_id)
    assert isinstance(result, Paused) and error in result.reason
    sub = await seeded.db.subscriptions.get(sub_id)
    assert sub.paused_reason and error in sub.paused_reason
    assert not fake.posts()


async def test_unclear_attempt_is_reconciled_from_history(seeded: Any, slack: SlackAdapter, fake: FakeSlack) -> None:
    """Killed between posting and marking: the row stays "posting"; the retry finds the post."""
    sub_id, delivery_id = await _delivery(seeded)
    started = await seeded.db.deliveries.start(delivery_id)
    sub = await seeded.db.subscriptions.get(sub_id)
    first = await slack.publisher.post(
        Target("slack", "T1", "C1"), Message("digest", (Section("a", (Line("x"),)),)), key=delivery_key(started.id)
    )
    assert isinstance(first, Posted) and sub is not None  # ... and the process died here
    before = len(fake.posts("C1"))
    result = await _deliverer(seeded, slack).deliver(delivery_id)
    assert isinstance(result, AlreadyPosted) and result.message_id == first.message_id
    assert len(fake.posts("C1")) == before
    assert fake.calls_to("conversations.history")[-1].params["include_all_metadata"] in (True, "true", "1")


async def test_unreadable_history_posts_again_at_least_once(slack: SlackAdapter, fake: FakeSlack) -> None:
    target, message = Target("slack", "T1", "C1"), Message("hello")
    assert isinstance(await slack.publisher.post(target, message, key="nb-d7"), Posted)
    fake.history_error = "missing_scope"
    assert isinstance(await slack.publisher.post(target, message, key="nb-d7"), Posted)
    assert len(fake.posts("C1")) == 2  # the documented at-least-once case


async def test_first_attempt_skips_the_history_read(slack: SlackAdapter, fake: FakeSlack) -> None:
    await slack.publisher.post(Target("slack", "T1", "C1"), Message("hello"), key="nb-d8", attempt=1)  # type: ignore[call-arg]
    assert not fake.calls_to("conversations.history") and len(fake.posts()) == 1


def _big_message(stories: int = 60) -> Message:
    sentence = ("A very long sentence about the ceasefire 🕊️ 𝔘 " * 220).strip() + "."
    sections = tuple(
        Section(f"Story {i}", (Line(sentence if i == 0 else f"Sentence {i}.", LineKind.SENTENCE, url="https://e.x/a"),))
        for i in range(stories)
    )
    return Message("Big digest", sections)


async def test_split_message_resumes_after_a_partial_post(slack: SlackAdapter, fake: FakeSlack) -> None:
    target, message = Target("slack", "T1", "C1"), _big_message()
    result = await slack.publisher.post(target, message, key="nb-d9", attempt=1)  # type: ignore[call-arg]
    parts = len(fake.posts("C1"))
    assert isinstance(result, Posted) and parts > 1
    for post in fake.posts("C1"):
        _check_wire(post)
    fake.history["C1"] = fake.history["C1"][:1]  # only the first part made it before the crash
    again = await slack.publisher.post(target, message, key="nb-d9")
    assert isinstance(again, Posted) and again.message_id == result.message_id
    assert len(fake.posts("C1")) == parts
    assert [p["metadata"]["event_payload"]["part"] for p in fake.posts("C1")] == list(range(parts))


async def test_article_text_cannot_mention_anyone(
    seeded: Any, slack: SlackAdapter, fake: FakeSlack, tmp_path: Path
) -> None:
    from bot.app import ingest_paths

    text = " ".join(
        f"Ukraine ceasefire talks resumed {MENTIONS} in round {i}, officials in Kyiv and Moscow said."
        for i in range(1, 6)
    )
    article = {
        "title": f"Ceasefire in Ukraine {MENTIONS}",
        "text": text,
        "url": "https://news.example/ceasefire",
        "source": f"Wire {MENTIONS}",
        "published": datetime.now(UTC).isoformat(),
    }
    (tmp_path / "hostile.json").write_text(json.dumps(article), encoding="utf-8")
    report = await ingest_paths(seeded.db, [tmp_path / "hostile.json"])
    assert report.ok
    _, delivery_id = await _delivery(seeded)
    assert isinstance(await _deliverer(seeded, slack).deliver(delivery_id), Posted)
    wire = [t for post in fake.posts("C1") for t in _wire_texts(post)]
    assert any("&lt;!channel&gt;" in t for t in wire)  # the article was posted, escaped
    for t in wire:
        for opening in re.findall(r"<[^>]*", t):
            assert re.match(r"<https?://", opening), opening  # only our own links open with "<"
        assert "<!" not in t and "<@" not in t


async def test_can_post_reports_why_not(slack: SlackAdapter, fake: FakeSlack) -> None:
    publisher: Any = slack.publisher
    assert await publisher.can_post(Target("slack", "T1", "C1")) is None
    fake.channel_errors["CGONE"] = "channel_not_found"
    assert "not found" in await publisher.can_post(Target("slack", "T1", "CGONE"))
