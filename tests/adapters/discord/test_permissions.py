"""``can_post`` from the bot's effective permissions (REST, discord.py's resolution), at subscribe
time through a real interaction, and in the scheduler's probe that resumes a paused subscription."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.permissions import NOT_IN_SERVER
from bot.delivery import Deliverer, InProcessRunner, Paused, Posted, Target
from bot.scheduler import Scheduler
from digests.pipeline import ingest_items
from tests.adapters.discord.conftest import ADMINISTRATOR, GUILD, GUILD_B, MANAGE_GUILD
from tests.bot.test_handlers import FRESH
from tests.fakes.discord_api import EMBED_LINKS, SEND_MESSAGES, SEND_MESSAGES_IN_THREADS, VIEW_CHANNEL, FakeDiscord
from tests.fakes.discord_payloads import EVERYONE_PERMISSIONS
from tests.fakes.discord_payloads import command_option as opt

NEEDED = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS


async def test_can_post_follows_roles_overwrites_and_administrator(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await start_adapter(discord_gateway=False)
    can_post = adapter.publisher.can_post
    channel = fake.channel_of[GUILD]
    target = Target("discord", str(GUILD), str(channel))
    role, admin_role = 7001, 7002

    assert await can_post(target) is None  # @everyone's defaults include all three
    fake.set_role(GUILD, GUILD, EVERYONE_PERMISSIONS & ~EMBED_LINKS)
    assert await can_post(target) == "missing permissions: Embed Links"
    fake.set_role(GUILD, role, EMBED_LINKS)  # a role of the bot gives it back
    assert await can_post(target) is None
    fake.set_overwrite(channel, role, deny=EMBED_LINKS | SEND_MESSAGES)  # the channel denies that role
    assert await can_post(target) == "missing permissions: Send Messages, Embed Links"
    fake.set_overwrite(channel, fake.app_id, member=True, allow=SEND_MESSAGES | EMBED_LINKS)  # the bot's own wins
    assert await can_post(target) is None
    fake.set_overwrite(channel, GUILD, deny=VIEW_CHANNEL)  # hidden from @everyone: GET /channels is 403
    assert await can_post(target) == "missing permissions: View Channel"
    fake.set_overwrite(channel, fake.app_id, member=True, deny=NEEDED)
    fake.set_role(GUILD, admin_role, ADMINISTRATOR)  # Administrator ignores every overwrite
    assert await can_post(target) is None
    assert fake.calls_to("GET", f"/guilds/{GUILD}/members/{fake.app_id}")

    fake.bot_roles[GUILD].remove(admin_role)
    assert await can_post(target) == "missing permissions: View Channel"
    fake.owner_id = fake.app_id  # the server's owner may do anything
    assert await can_post(target) is None


async def test_can_post_names_what_is_gone(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await start_adapter(discord_gateway=False)
    can_post = adapter.publisher.can_post
    assert await can_post(Target("discord", str(GUILD), "424242")) == "channel not found"
    other = str(fake.channel_of[GUILD_B])
    assert await can_post(Target("discord", str(GUILD), other)) == "channel not found in this server"
    assert await can_post(Target("discord", "g", "c")) is not None
    fake.removed.add(GUILD)
    assert await can_post(Target("discord", str(GUILD), str(fake.channel_of[GUILD]))) == NOT_IN_SERVER


async def test_a_thread_needs_send_messages_in_threads_and_must_not_be_locked(
    fake: FakeDiscord, start_adapter: Any
) -> None:
    adapter = await start_adapter(discord_gateway=False)
    parent = fake.channel_of[GUILD]
    thread = Target("discord", str(GUILD), str(fake.add_thread(parent)))
    assert await adapter.publisher.can_post(thread) == "missing permissions: Send Messages in Threads"
    fake.set_overwrite(parent, GUILD, allow=SEND_MESSAGES_IN_THREADS)  # threads take the parent's overwrites
    assert await adapter.publisher.can_post(thread) is None
    locked = Target("discord", str(GUILD), str(fake.add_thread(parent, locked=True)))
    assert await adapter.publisher.can_post(locked) == "the thread is locked"


async def _reply(fake: FakeDiscord, payload: dict[str, Any]) -> dict[str, Any]:
    """The embed the user got: the interaction's answer, or the follow-up of a deferred one."""
    await fake.wait_for(lambda: fake.callbacks(payload))
    [callback] = fake.callbacks(payload)
    if callback.body["type"] == 5:
        await fake.wait_for(lambda: fake.followups(payload))
        embed: dict[str, Any] = fake.followups(payload)[0].body["embeds"][0]
        return embed
    embed = callback.body["data"]["embeds"][0]
    return embed


async def test_subscribe_without_embed_links_is_refused_and_stores_nothing(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    svc = adapter.svc
    svc.publishers["discord"] = adapter.publisher
    channel = fake.channel_of[GUILD]
    subscribe = [opt("topic", "ceasefire"), opt("schedule", "daily 08:30")]
    fake.set_overwrite(channel, GUILD, deny=EMBED_LINKS)

    payload = await fake.interact("news", subscribe, subcommand="subscribe", guild_id=GUILD, permissions=MANAGE_GUILD)
    embed = await _reply(fake, payload)
    assert "missing permissions: Embed Links" in embed["title"].replace("\\", "")
    assert await svc.db.subscriptions.count() == 0
    assert not fake.messages.get(channel)  # no preview either

    fake.set_overwrite(channel, GUILD)  # the admin fixes the channel
    payload = await fake.interact("news", subscribe, subcommand="subscribe", guild_id=GUILD, permissions=MANAGE_GUILD)
    embed = await _reply(fake, payload)
    assert embed["title"].startswith("Subscribed")
    [sub] = await svc.db.subscriptions.list(platform="discord", workspace_id=str(GUILD))
    [preview] = fake.messages[channel]
    assert preview["nonce"] == f"nb-s{sub.id}-preview"
    assert "now gets" in preview["embeds"][0]["title"]


async def test_a_paused_subscription_resumes_once_permissions_are_fixed(
    fake: FakeDiscord, start_adapter: Any, svc: Any
) -> None:
    adapter = await start_adapter(discord_gateway=False)
    svc.publishers["discord"] = adapter.publisher
    await ingest_items(svc.db.articles, [FRESH])
    channel = fake.channel_of[GUILD]
    sub, _ = await svc.db.subscriptions.upsert(
        platform="discord", workspace_id=str(GUILD), channel_id=str(channel), topic_id="ceasefire",
        schedule="daily 09:00", timezone="UTC",
    )  # fmt: skip
    fake.set_overwrite(channel, GUILD, deny=SEND_MESSAGES)  # someone takes Send Messages away
    deliverer = Deliverer(svc, svc.publishers)
    slot = datetime(2030, 1, 7, 9, tzinfo=UTC)
    paused = await deliverer.deliver((await svc.db.deliveries.claim(sub.id, slot)).id)
    assert isinstance(paused, Paused) and "Missing Permissions" in paused.reason
    assert (await svc.db.subscriptions.get(sub.id)).paused_reason == paused.reason

    clock = {"now": slot + timedelta(minutes=10)}
    svc.clock = lambda: clock["now"]
    sched = Scheduler(svc, InProcessRunner(deliverer))
    await sched.tick()
    assert (await svc.db.subscriptions.get(sub.id)).paused_reason  # probed: still cannot post
    assert fake.calls_to("GET", f"/channels/{channel}")
    fake.set_overwrite(channel, GUILD)  # fixed
    clock["now"] += timedelta(hours=1, minutes=1)
    await sched.tick()
    assert (await svc.db.subscriptions.get(sub.id)).paused_reason is None

    posted = await deliverer.deliver((await svc.db.deliveries.claim(sub.id, slot + timedelta(days=1))).id)
    assert isinstance(posted, Posted)
    assert [m["id"] for m in fake.messages[channel]] == [posted.message_id]


async def test_can_post_asks_nothing_while_discord_refuses_this_process(fake: FakeDiscord, start_adapter: Any) -> None:
    adapter = await start_adapter(discord_gateway=False)
    target = Target("discord", str(GUILD), str(fake.channel_of[GUILD]))
    adapter.bucket.block(120)  # a 429 without Via (a Cloudflare ban) is in force
    problem = await adapter.publisher.can_post(target)
    assert problem is not None and "refusing requests" in problem
    assert not fake.calls_to("GET", f"/guilds/{GUILD}")
