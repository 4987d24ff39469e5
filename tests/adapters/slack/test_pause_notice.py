"""A paused Slack subscription is told to the workspace's admins: in the ops channel when one is set,
else by direct message (``conversations.open``, then ``chat.postMessage`` to the DM), once per pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.manifest import BOT_SCOPES
from bot.delivery import Deliverer, Paused
from digests.message import Message
from digests.models import DeliveryState
from tests.fakes.slack_api import FakeSlack

SLOT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)


async def _paused_subscription(svc: Any, fake: FakeSlack, *, created_by: str | None = "UOWNER") -> Any:
    sub, _ = await svc.db.subscriptions.upsert(
        platform="slack", workspace_id="T1", channel_id="CGONE", topic_id="ceasefire", schedule="daily 09:00",
        timezone="UTC", created_by=created_by,
    )  # fmt: skip
    fake.channel_errors["CGONE"] = "channel_not_found"
    return sub


async def test_without_ops_channel_the_admins_get_one_dm_per_pause(
    seeded: Any, slack_settings: Any, fake: FakeSlack
) -> None:
    settings = slack_settings.model_copy(update={"slack_admins": "UADMIN,S0TEAM"})
    seeded.settings = settings
    deliverer = Deliverer(seeded, {"slack": SlackAdapter(seeded, settings).publisher})
    sub = await _paused_subscription(seeded, fake)
    first = await seeded.db.deliveries.claim(sub.id, SLOT)

    result = await deliverer.deliver(first.id)
    assert isinstance(result, Paused) and "channel_not_found" in result.reason
    opened = sorted(str(c.params["users"]) for c in fake.calls_to("conversations.open"))
    assert opened == ["UADMIN", "UOWNER"]  # the creator and the configured admin user, not the group
    for user in ("UOWNER", "UADMIN"):
        [dm] = fake.dms(user)
        assert "Paused" in dm["text"] and "channel_not_found" in str(dm["blocks"])
        assert dm["metadata"]["event_payload"]["delivery"] == f"nb-p{first.id}"

    later = await seeded.db.deliveries.claim(sub.id, SLOT + timedelta(days=1))
    assert await deliverer.deliver(later.id) is DeliveryState.PAUSED
    assert len(fake.dms("UOWNER")) == 1 and len(fake.calls_to("conversations.open")) == 2


async def test_with_an_ops_channel_the_pause_is_posted_there_only(
    seeded: Any, slack_settings: Any, fake: FakeSlack
) -> None:
    seeded.settings = slack_settings
    deliverer = Deliverer(seeded, {"slack": SlackAdapter(seeded, slack_settings).publisher})
    sub = await _paused_subscription(seeded, fake)
    await seeded.db.subscriptions.set_workspace("slack", "T1", ops_channel="COPS")
    delivery = await seeded.db.deliveries.claim(sub.id, SLOT)

    assert isinstance(await deliverer.deliver(delivery.id), Paused)
    [notice] = fake.posts("COPS")
    assert "Paused" in notice["text"]
    assert not fake.calls_to("conversations.open") and fake.dms("UOWNER") == []


async def test_an_unknown_user_is_skipped(seeded: Any, slack_settings: Any, fake: FakeSlack) -> None:
    seeded.settings = slack_settings
    publisher: Any = SlackAdapter(seeded, slack_settings).publisher
    told = await publisher.notify_admins("T1", ["UNOBODY", "UADMIN"], Message("Paused: x"), key="nb-p1")
    assert told == 1 and len(fake.dms("UADMIN")) == 1


def test_the_manifest_asks_for_the_dm_scope() -> None:
    assert "im:write" in BOT_SCOPES  # conversations.open needs it
