"""Subscription and settings commands. Everyone may read; only admins change anything."""

from __future__ import annotations

import logging
import re
from datetime import datetime

from bot.delivery import Target
from bot.handlers.news import channel_topics, resolve_topic
from bot.handlers.replies import text_reply
from bot.handlers.request import CommandRequest
from bot.schedule import Schedule, parse_schedule, parse_timezone
from bot.services import Services
from digests.errors import CommandError
from digests.message import Line, Message, Reply, Section, Tone
from digests.models import Subscription

__all__ = [
    "handle_resume",
    "handle_settings",
    "handle_subscribe",
    "handle_subscriptions",
    "handle_topic",
    "handle_unsubscribe",
    "humanize_next",
]

DEFAULT_SCHEDULE = "daily 09:00"
log = logging.getLogger(__name__)


def _require_admin(req: CommandRequest, action: str) -> None:
    if req.channel.is_dm:
        raise CommandError(f"You cannot {action} in a direct message.", "Run the command in the channel itself.")
    if not req.user.is_admin:
        raise CommandError(f"Only workspace admins can {action}.", "Ask an admin, or use `/news digest` to read now.")


def humanize_next(schedule: Schedule, now: datetime) -> str:
    """ "next digest 09:00 Europe/Kyiv, in 14 h" for a schedule."""
    nxt = schedule.next_after(now)
    if nxt is None:
        return "no further runs"
    delta = nxt - now
    hours, minutes = int(delta.total_seconds() // 3600), int(delta.total_seconds() % 3600 // 60)
    when = f"in {hours} h" if hours else f"in {minutes} min"
    local = nxt.astimezone(schedule.tz)
    day = "" if delta.days < 1 else f"{local:%a} "
    return f"next digest {day}{local:%H:%M} {schedule.timezone}, {when}"


async def _default_timezone(req: CommandRequest, svc: Services) -> str:
    ws = await svc.db.subscriptions.workspace(req.channel.platform, req.channel.workspace_id)
    return ws.timezone or svc.settings.timezone


_QUIET = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-3]):([0-5]\d)$")


def parse_quiet(text: str) -> str:
    """``22:00-07:00`` → normalised; CommandError otherwise."""
    m = _QUIET.match(text.strip())
    if not m:
        raise CommandError(f"Bad quiet hours `{text}`.", "Use `quiet:22:00-07:00` (local time, start-end).")
    a, b = f"{int(m.group(1)):02d}:{m.group(2)}", f"{int(m.group(3)):02d}:{m.group(4)}"
    if a == b:
        raise CommandError("Quiet hours cannot start and end at the same time.", "Use `quiet:22:00-07:00`.")
    return f"{a}-{b}"


async def handle_subscribe(req: CommandRequest, svc: Services) -> Reply:
    """``subscribe TOPIC [schedule|live] [timezone] [max:5] [quiet:22:00-07:00] [empty:say]``."""
    _require_admin(req, "change subscriptions")
    if not req.args:
        raise CommandError("Which topic?", "Usage: `/news subscribe TOPIC [daily 09:00] [Europe/Kyiv]`.")
    topic = resolve_topic(svc, req.args[0], topics=await channel_topics(svc, req))
    rest = list(req.args[1:])
    timezone = await _default_timezone(req, svc)
    if rest and ("/" in rest[-1] or rest[-1].upper() == "UTC"):
        timezone = rest.pop()
        parse_timezone(timezone)
    mode = "digest"
    if [w.lower() for w in rest] == ["live"] or req.options.get("mode", "").lower() == "live":
        mode, rest = "live", []
    elif req.options.get("mode", "digest").lower() != "digest":
        raise CommandError(f"Unknown mode `{req.options['mode']}`.", "Use `mode:digest` (batched) or `mode:live`.")
    schedule = parse_schedule(" ".join(rest) if rest else DEFAULT_SCHEDULE, timezone)
    max_text = req.options.get("max", str(svc.settings.digest_max_stories))
    if not max_text.isdigit() or not 1 <= int(max_text) <= 25:
        raise CommandError(f"Bad `max:{max_text}`.", "Use `max:N` with N from 1 to 25 stories per digest.")
    quiet = parse_quiet(req.options["quiet"]) if "quiet" in req.options else None
    on_empty = req.options.get("empty", "skip").lower()
    if on_empty not in {"skip", "say"}:
        raise CommandError(f"Bad `empty:{on_empty}`.", "Use `empty:skip` (post nothing) or `empty:say`.")
    target = Target(req.channel.platform, req.channel.workspace_id, req.channel.channel_id)
    publisher = svc.publishers.get(req.channel.platform)
    can_post = getattr(publisher, "can_post", None)
    if can_post is not None:
        problem = await can_post(target)
        if problem:
            raise CommandError(f"I cannot post in this channel: {problem}.", "Fix that, then subscribe again.")
    sub, created = await svc.db.subscriptions.upsert(
        platform=req.channel.platform,
        workspace_id=req.channel.workspace_id,
        channel_id=req.channel.channel_id,
        topic_id=topic.id,
        schedule="live" if mode == "live" else schedule.text,
        timezone=schedule.timezone,
        max_stories=int(max_text),
        mode=mode,
        created_by=req.user.id,
        quiet_hours=quiet,
        on_empty=on_empty,
    )
    verb = "Subscribed" if created else "Updated the subscription:"
    when = (
        f"live: each new story as it arrives, at most one post every {svc.settings.live_min_interval_minutes} min"
        if mode == "live"
        else humanize_next(schedule, svc.now())
    )
    extra = f"; quiet {quiet} {sub.timezone}" if quiet else ""
    if created and publisher is not None:
        preview = Message(
            f"This channel now gets {topic.title} ({sub.schedule} {sub.timezone}).",
            intro=f"{when}. Admins can change it with /news subscribe or stop it with /news unsubscribe {topic.id}.",
        )
        try:
            await publisher.post(target, preview, key=f"nb-s{sub.id}-preview"[:25])
        except Exception:  # a failed preview is not a failed subscription; the first digest will tell
            log.warning("preview for subscription %s failed", sub.id, exc_info=True)
    return text_reply(
        f"{verb} {topic.title} here, {sub.schedule} {sub.timezone}",
        f"{when}; up to {sub.max_stories} stories per digest{extra}.",
        tone=Tone.SUCCESS,
        ephemeral=False,
    )


async def handle_unsubscribe(req: CommandRequest, svc: Services) -> Reply:
    """``unsubscribe TOPIC``: stop this channel's digest of a topic."""
    _require_admin(req, "change subscriptions")
    if len(req.args) != 1:
        raise CommandError("Which topic?", "Usage: `/news unsubscribe TOPIC`.")
    topic = resolve_topic(svc, req.args[0], topics=await channel_topics(svc, req))
    removed = await svc.db.subscriptions.remove(
        platform=req.channel.platform,
        workspace_id=req.channel.workspace_id,
        channel_id=req.channel.channel_id,
        topic_id=topic.id,
    )
    if not removed:
        raise CommandError(f"This channel is not subscribed to `{topic.id}`.", "See `/news subscriptions`.")
    return text_reply(f"Unsubscribed this channel from {topic.title}.", tone=Tone.SUCCESS, ephemeral=False)


async def handle_resume(req: CommandRequest, svc: Services) -> Reply:
    """``resume TOPIC``: restart this channel's paused subscription."""
    _require_admin(req, "change subscriptions")
    if len(req.args) != 1:
        raise CommandError("Which topic?", "Usage: `/news resume TOPIC`.")
    subs = await svc.db.subscriptions.list(
        platform=req.channel.platform, workspace_id=req.channel.workspace_id, channel_id=req.channel.channel_id
    )
    sub = next((s for s in subs if s.topic_id == req.args[0].lower()), None)
    if sub is None:
        raise CommandError(f"This channel is not subscribed to `{req.args[0]}`.", "See `/news subscriptions`.")
    if not sub.paused_reason:
        return text_reply(f"The {sub.topic_id} subscription is not paused.")
    await svc.db.subscriptions.resume(sub.id)
    return text_reply(f"Resumed {sub.topic_id} here (it was paused: {sub.paused_reason}).", tone=Tone.SUCCESS)


async def handle_topic(req: CommandRequest, svc: Services) -> Reply:
    """``topic add NAME phrase...`` / ``topic remove NAME``: this workspace's keyword topics."""
    usage = 'Usage: `/news topic add NAME word "a phrase" ...` or `/news topic remove NAME`.'
    if len(req.args) < 2 or req.args[0] not in {"add", "remove"}:
        raise CommandError("What should I do with the topic?", usage)
    _require_admin(req, "change topics")
    action, name, phrases = req.args[0], req.args[1].lower(), [p.strip() for p in req.args[2:] if p.strip()]
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", name):
        raise CommandError(f"Bad topic name `{name}`.", "Use 1-32 lowercase letters, digits, - or _.")
    if name in svc.topics:
        raise CommandError(f"`{name}` is a shared topic from the bot's configuration.", "Pick another name.")
    ws = (req.channel.platform, req.channel.workspace_id)
    if action == "remove":
        if not await svc.db.subscriptions.remove_workspace_topic(*ws, name):
            raise CommandError(f"This workspace has no topic `{name}`.", "See `/news topics`.")
        return text_reply(f"Removed the topic {name} and its subscriptions.", tone=Tone.SUCCESS)
    if not phrases or len(phrases) > 20 or any(len(p) > 60 for p in phrases):
        raise CommandError("Give 1 to 20 words or quoted phrases (60 characters at most each).", usage)
    created = await svc.db.subscriptions.add_workspace_topic(*ws, name, name, phrases, req.user.id)
    verb = "Added" if created else "Updated"
    return text_reply(
        f"{verb} the topic {name} for this workspace.",
        "It matches articles with any of: " + ", ".join(phrases) + f". Subscribe with `/news subscribe {name}`.",
        tone=Tone.SUCCESS,
    )


def _next_text(sub: Subscription, svc: Services, now: datetime) -> str:
    """When this subscription posts next; one bad row says so on its own line instead of failing the list."""
    if sub.mode == "live":
        return f"live: each new story, at most one post every {svc.settings.live_min_interval_minutes} min"
    try:
        return humanize_next(parse_schedule(sub.schedule, sub.timezone), now)
    except CommandError as exc:
        return f"not running: {exc.problem} Subscribe again with a valid schedule"


async def handle_subscriptions(req: CommandRequest, svc: Services) -> Reply:
    """``subscriptions``: this channel's subscriptions (admins: the whole workspace)."""
    channel = None if req.user.is_admin else req.channel.channel_id
    subs = await svc.db.subscriptions.list(
        platform=req.channel.platform, workspace_id=req.channel.workspace_id, channel_id=channel
    )
    where = "this workspace" if channel is None else "this channel"
    if not subs:
        return text_reply(f"No subscriptions in {where}.", "Subscribe with `/news subscribe TOPIC daily 09:00`.")
    lines = []
    now = svc.now()
    for sub in subs:
        last = await svc.db.deliveries.last_posted(sub.id)
        last_text = f"last delivery {last[0].slot:%Y-%m-%d %H:%M} UTC" if last else "no delivery yet"
        state = f"paused: {sub.paused_reason}" if sub.paused_reason else _next_text(sub, svc, now)
        error = await svc.db.subscriptions.last_error(sub.id)
        err_text = f"; last error: {error}" if error else ""
        lines.append(
            Line(f"#{sub.channel_id} · {sub.topic_id} · {sub.schedule} {sub.timezone} · {state}; {last_text}{err_text}")
        )
    return Reply(Message(f"Subscriptions in {where}", (Section(None, tuple(lines)),)), ephemeral=not req.share)


async def handle_settings(req: CommandRequest, svc: Services) -> Reply:
    """``settings`` shows the workspace settings; admins set ``timezone ZONE`` (the default for new
    subscriptions) and ``ops CHANNEL|off`` (where paused subscriptions are reported)."""
    usage = "Usage: `/news settings`, `/news settings timezone Europe/Kyiv` or `/news settings ops CHANNEL|off`."
    if not req.args:
        ws = await svc.db.subscriptions.workspace(req.channel.platform, req.channel.workspace_id)
        tz = ws.timezone or svc.settings.timezone
        ops = f"#{ws.ops_channel}" if ws.ops_channel else "none (paused subscriptions show in /news subscriptions)"
        return text_reply("Workspace settings", f"Default timezone: {tz}.", f"Ops channel: {ops}.")
    if len(req.args) != 2 or req.args[0] not in {"timezone", "ops"}:
        raise CommandError("Unknown setting.", usage)
    _require_admin(req, "change settings")
    key, value = req.args
    ws_key = (req.channel.platform, req.channel.workspace_id)
    if key == "timezone":
        parse_timezone(value)
        await svc.db.subscriptions.set_workspace(*ws_key, timezone=value)
        return text_reply(f"Default timezone set to {value}.", tone=Tone.SUCCESS)
    channel = None if value.lower() in {"off", "none"} else value.lstrip("#")
    if channel is not None and not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", channel):
        raise CommandError(f"Bad channel `{value}`.", usage)
    await svc.db.subscriptions.set_workspace(*ws_key, ops_channel=channel)
    said = f"Paused subscriptions will be reported in #{channel}." if channel else "No ops channel."
    return text_reply(said, tone=Tone.SUCCESS)
