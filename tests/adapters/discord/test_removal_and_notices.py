"""The bot removed from a server (GUILD_DELETE) pauses that server's work, an outage does not; and a
pause is told to the server's admins by direct message when no ops channel takes it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.membership import REMOVED
from bot.delivery import Deliverer, Paused
from digests.message import Message
from digests.models import DeliveryState
from digests.pipeline import ingest_items
from tests.adapters.discord.conftest import GUILD, GUILD_B
from tests.bot.test_handlers import FRESH
from tests.fakes.discord_api import VIEW_CHANNEL, FakeDiscord

SLOT = datetime(2030, 1, 7, 9, tzinfo=UTC)


async def _subscribe(svc: Any, guild: int, channel: int | str, created_by: str | None = None) -> Any:
    sub, _ = await svc.db.subscriptions.upsert(
        platform="discord", workspace_id=str(guild), channel_id=str(channel), topic_id="ceasefire",
        schedule="daily 09:00", timezone="UTC", created_by=created_by,
    )  # fmt: skip
    return sub


async def _paused_reasons(svc: Any) -> dict[str, str | None]:
    return {f"{s.workspace_id}/{s.channel_id}": s.paused_reason for s in await svc.db.subscriptions.list()}


async def test_an_outage_pauses_nothing_and_a_removal_pauses_that_server(
    fake: FakeDiscord, adapter: DiscordAdapter, svc: Any
) -> None:
    for guild, channel in ((GUILD, fake.channel_of[GUILD]), (GUILD, 5151), (GUILD_B, fake.channel_of[GUILD_B])):
        await _subscribe(svc, guild, channel)

    await fake.outage(GUILD)  # GUILD_DELETE with unavailable: true
    await fake.remove_bot(GUILD_B)  # then a real removal, on the same connection
    for _ in range(200):
        reasons = await _paused_reasons(svc)
        if reasons[f"{GUILD_B}/{fake.channel_of[GUILD_B]}"]:
            break
        await asyncio.sleep(0.02)
    guild = adapter.client.get_guild(GUILD)
    assert guild is not None and guild.unavailable  # the outage reached discord.py...
    assert reasons == {  # ...and paused nothing; the removal paused its server only
        f"{GUILD}/{fake.channel_of[GUILD]}": None,
        f"{GUILD}/5151": None,
        f"{GUILD_B}/{fake.channel_of[GUILD_B]}": REMOVED,
    }
    assert adapter.client.get_guild(GUILD_B) is None

    await fake.remove_bot(GUILD)  # a removal while unavailable still counts
    for _ in range(200):
        reasons = await _paused_reasons(svc)
        if all(reasons.values()):
            break
        await asyncio.sleep(0.02)
    assert set(reasons.values()) == {REMOVED}


async def _hidden_subscription(
    fake: FakeDiscord, start_adapter: Any, svc: Any, created_by: str | None = None
) -> tuple[Any, Any]:
    """A started adapter and a subscription, with a fresh article, to a channel hidden from the bot."""
    adapter = await start_adapter(discord_gateway=False)
    await ingest_items(svc.db.articles, [FRESH])
    channel = fake.channel_of[GUILD]
    sub = await _subscribe(svc, GUILD, channel, created_by=created_by)
    fake.set_overwrite(channel, GUILD, deny=VIEW_CHANNEL)
    return adapter, sub


async def test_a_pause_without_ops_channel_is_told_to_the_admins_by_dm_once(
    fake: FakeDiscord, start_adapter: Any, svc: Any
) -> None:
    adapter, sub = await _hidden_subscription(fake, start_adapter, svc, created_by="4242")
    deliverer = Deliverer(svc, {"discord": adapter.publisher})
    first = await svc.db.deliveries.claim(sub.id, SLOT)
    second = await svc.db.deliveries.claim(sub.id, SLOT + timedelta(days=1))

    results = await asyncio.gather(deliverer.deliver(first.id), deliverer.deliver(second.id))  # two slots in flight
    assert sum(isinstance(r, Paused) for r in results) == 1
    [dm] = fake.dms(4242)
    assert "Paused" in dm["embeds"][0]["title"] and "Missing Access" in dm["embeds"][0]["description"]
    assert dm["nonce"] in {f"nb-p{first.id}", f"nb-p{second.id}"}
    [opened] = fake.calls_to("POST", "/users/@me/channels")
    assert int(opened.body["recipient_id"]) == 4242
    assert fake.dms(fake.owner_id) == []  # an admin is known: the owner is not bothered

    later = await svc.db.deliveries.claim(sub.id, SLOT + timedelta(days=2))
    assert await deliverer.deliver(later.id) is DeliveryState.PAUSED
    assert len(fake.dms(4242)) == 1  # one notice per pause, not one per slot

    await svc.db.subscriptions.resume(sub.id)  # resumed, still hidden: a new pause, a new notice
    again = await svc.db.deliveries.claim(sub.id, SLOT + timedelta(days=3))
    assert isinstance(await deliverer.deliver(again.id), Paused)
    assert [m["nonce"] for m in fake.dms(4242)][1:] == [f"nb-p{again.id}"]


async def test_with_nobody_known_the_server_owner_is_told(fake: FakeDiscord, start_adapter: Any, svc: Any) -> None:
    adapter, sub = await _hidden_subscription(fake, start_adapter, svc)  # from config: no creator
    delivery = await svc.db.deliveries.claim(sub.id, SLOT)
    assert isinstance(await Deliverer(svc, {"discord": adapter.publisher}).deliver(delivery.id), Paused)
    [dm] = fake.dms(fake.owner_id)
    assert "Paused" in dm["embeds"][0]["title"]


async def test_a_user_refusing_dms_does_not_stop_the_others(fake: FakeDiscord, start_adapter: Any, svc: Any) -> None:
    adapter = await start_adapter(discord_gateway=False)
    fake.dm_closed.add(1111)
    told = await adapter.publisher.notify_admins(
        str(GUILD), ["1111", "2222", "not-an-id"], Message("Paused: the Ceasefire digest"), key="nb-p9"
    )
    assert told == 1
    assert fake.dms(1111) == [] and len(fake.dms(2222)) == 1


async def test_with_an_ops_channel_the_pause_is_posted_there_only(
    fake: FakeDiscord, start_adapter: Any, svc: Any
) -> None:
    adapter, sub = await _hidden_subscription(fake, start_adapter, svc, created_by="4242")
    await svc.db.subscriptions.set_workspace("discord", str(GUILD), ops_channel="909090")
    delivery = await svc.db.deliveries.claim(sub.id, SLOT)
    assert isinstance(await Deliverer(svc, {"discord": adapter.publisher}).deliver(delivery.id), Paused)
    [notice] = fake.messages[909090]
    assert "Paused" in notice["embeds"][0]["title"] and notice["nonce"] == f"nb-p{delivery.id}"
    assert not fake.calls_to("POST", "/users/@me/channels") and fake.dms(4242) == []
