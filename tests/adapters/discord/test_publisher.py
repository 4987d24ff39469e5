"""Scheduled posts over REST (no gateway): nonce, limits on the wire, pauses, 429 handling."""

from __future__ import annotations

import time
from typing import Any

from bot.adapters.discord.publisher import BAN_WAIT_MIN, nonce_for
from bot.adapters.discord.ratelimit import TokenBucket
from bot.delivery import Paused, Posted, RetryAfter, Target, delivery_key
from digests.message import Line, LineKind, Message, Section
from tests.adapters.discord.conftest import GUILD
from tests.fakes.discord_api import Failure, FakeDiscord

NONE = {"parse": []}
HOSTILE = "Officials told @everyone and @here, and <@&123456789012345678> and <@42>, to stay calm 🦀 𝔘."


def _u16(text: str | None) -> int:
    return len((text or "").encode("utf-16-le")) // 2


def _assert_within_limits(body: dict[str, Any]) -> None:
    embeds = body["embeds"]
    assert 1 <= len(embeds) <= 10
    total = 0
    for e in embeds:
        assert _u16(e.get("title")) <= 256
        assert _u16(e.get("description")) <= 4096
        assert len(e.get("fields", [])) <= 25
        assert all(_u16(f["name"]) <= 256 and _u16(f["value"]) <= 1024 for f in e.get("fields", []))
        assert _u16(e.get("footer", {}).get("text")) <= 2048
        total += _u16(e.get("title")) + _u16(e.get("description")) + _u16(e.get("footer", {}).get("text"))
        total += sum(_u16(f["name"]) + _u16(f["value"]) for f in e.get("fields", []))
    assert total <= 6000


def _digest(stories: int = 2, first: str = HOSTILE) -> Message:
    sections = tuple(
        Section(
            f"Story {i} @everyone",
            (
                Line(first if i == 0 else HOSTILE, LineKind.SENTENCE, url=f"https://news.example/{i}", source="Ex"),
                Line("We will not be pinged.", LineKind.QUOTE, speaker="<@&99> Spokesperson", source="Wire"),
            ),
            url=f"https://news.example/{i}",
        )
        for i in range(stories)
    )
    return Message("Ceasefire talks: digest", sections, intro="Verbatim sentences, with sources.", footer="newsbot")


async def _rest_only(start_adapter: Any) -> Any:
    adapter = await start_adapter(discord_gateway=False)
    assert adapter.client.ws is None  # no gateway connection
    return adapter


async def test_scheduled_post_uses_the_delivery_key_as_nonce(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await _rest_only(start_adapter)
    channel = fake.channel_of[GUILD]
    target = Target("discord", str(GUILD), str(channel))
    result = await adapter.publisher.post(target, _digest(), key=delivery_key(7))
    assert isinstance(result, Posted)
    [call] = fake.calls_to("POST", f"/channels/{channel}/messages")
    assert call.body["nonce"] == "nb-d7"
    assert call.body["enforce_nonce"] is True
    assert call.body["allowed_mentions"] == NONE
    _assert_within_limits(call.body)
    text = str(call.body["embeds"])
    assert "@everyone" not in text and "<@&123456789012345678>" not in text  # escaped, too

    again = await adapter.publisher.post(target, _digest(), key=delivery_key(7))  # a retry in the window
    assert again == result
    assert len(fake.messages[channel]) == 1


async def test_long_digests_split_into_messages_each_with_its_own_nonce(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await start_adapter(discord_gateway=False, discord_global_rate=500.0)
    channel = fake.channel_of[GUILD]
    huge = ("A sentence that goes on 🦀 and on 𝔘 " * 400)[:10_000]
    message = _digest(stories=60, first=huge)
    result = await adapter.publisher.post(Target("discord", "g", str(channel)), message, key=delivery_key(123456))
    assert isinstance(result, Posted)
    calls = fake.calls_to("POST", f"/channels/{channel}/messages")
    assert len(calls) >= 3
    nonces = [c.body["nonce"] for c in calls]
    assert nonces[0] == "nb-d123456" and len(set(nonces)) == len(nonces)
    assert all(len(n) <= 25 for n in nonces)
    for call in calls:
        _assert_within_limits(call.body)
        assert call.body["allowed_mentions"] == NONE
    assert result.message_id == fake.messages[channel][0]["id"]


def test_nonces_stay_within_25_characters() -> None:
    assert nonce_for("nb-d1", 0) == "nb-d1"
    assert nonce_for("nb-d1", 3) == "nb-d1.3"
    long_key = "nb-d" + "9" * 30
    assert len(nonce_for(long_key, 0)) <= 25 and len(nonce_for(long_key, 12)) <= 25
    assert nonce_for(long_key, 1) == nonce_for(long_key, 1) != nonce_for(long_key, 2)


async def test_missing_access_and_unknown_channel_pause(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await _rest_only(start_adapter)
    fake.fail_next(111, Failure(403, 50001, "Missing Access"))
    fake.fail_next(222, Failure(404, 10003, "Unknown Channel"))
    gone = await adapter.publisher.post(Target("discord", "g", "111"), _digest(), key="nb-d1")
    missing = await adapter.publisher.post(Target("discord", "g", "222"), _digest(), key="nb-d2")
    assert isinstance(gone, Paused) and "Missing Access" in gone.reason
    assert isinstance(missing, Paused) and "Unknown Channel" in missing.reason


async def test_429_with_via_is_waited_out(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await _rest_only(start_adapter)
    fake.fail_next(333, Failure(429, retry_after=0.2))
    started = time.monotonic()
    result = await adapter.publisher.post(Target("discord", "g", "333"), _digest(), key="nb-d3")
    assert isinstance(result, Posted)
    assert time.monotonic() - started >= 0.2
    assert len(fake.calls_to("POST", "/channels/333/messages")) == 2


async def test_429_without_via_holds_off_without_a_retry_storm(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await _rest_only(start_adapter)
    fake.fail_next(444, Failure(429, via=False))
    first = await adapter.publisher.post(Target("discord", "g", "444"), _digest(), key="nb-d4")
    assert isinstance(first, RetryAfter) and first.seconds >= BAN_WAIT_MIN
    for n in range(5):  # other deliveries in this process now hold off too, without a request
        later = await adapter.publisher.post(Target("discord", "g", "555"), _digest(), key=f"nb-d{n + 10}")
        assert isinstance(later, RetryAfter) and later.seconds > BAN_WAIT_MIN - 5
    assert len(fake.calls_to("POST", "/channels/444/messages")) == 1
    assert not fake.calls_to("POST", "/channels/555/messages")


async def test_token_bucket_paces_sends_to_the_process_share() -> None:
    bucket = TokenBucket(rate=50 / 5)  # five processes share the 50/s budget
    started = time.monotonic()
    for _ in range(int(bucket.burst) + 3):
        await bucket.acquire()
    assert time.monotonic() - started >= 0.25  # three more tokens at 10/s


async def test_deliverer_posts_once_and_a_403_pauses_the_subscription(
    fake: FakeDiscord, start_adapter: Any, svc: Any
) -> None:
    """Through ``deliver(delivery_id)``: the ledger, the real publisher and the fake together."""
    from datetime import UTC, datetime

    from bot.delivery import Deliverer
    from digests.models import DeliveryState
    from digests.pipeline import ingest_items
    from tests.bot.test_handlers import FRESH

    adapter = await _rest_only(start_adapter)
    await ingest_items(svc.db.articles, [FRESH])
    channel = fake.channel_of[GUILD]
    ok, _ = await svc.db.subscriptions.upsert(
        platform="discord", workspace_id=str(GUILD), channel_id=str(channel), topic_id="ceasefire",
        schedule="daily 09:00", timezone="UTC",
    )  # fmt: skip
    denied, _ = await svc.db.subscriptions.upsert(
        platform="discord", workspace_id=str(GUILD), channel_id="777", topic_id="ceasefire",
        schedule="daily 09:00", timezone="UTC",
    )  # fmt: skip
    fake.fail_next(777, Failure(403, 50001, "Missing Access"))
    deliverer = Deliverer(svc, {"discord": adapter.publisher})
    slot = datetime(2026, 11, 27, 9, tzinfo=UTC)
    posted = await svc.db.deliveries.claim(ok.id, slot)
    refused = await svc.db.deliveries.claim(denied.id, slot)
    assert isinstance(await deliverer.deliver(posted.id), Posted)
    assert await deliverer.deliver(posted.id) is DeliveryState.POSTED  # a second run posts nothing
    assert isinstance(await deliverer.deliver(refused.id), Paused)
    assert len(fake.messages[channel]) == 1
    assert fake.messages[channel][0]["nonce"] == delivery_key(posted.id)
    assert "Missing Access" in (await svc.db.subscriptions.get(denied.id)).paused_reason
