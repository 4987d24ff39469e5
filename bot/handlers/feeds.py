"""``feeds``: the feeds this workspace's digests come from; admins add, remove, check and mute.

A feed added here belongs to this workspace: its articles appear only in this workspace's digests
and status answers. Feeds from ``config/feeds.toml`` serve every workspace and cannot be removed here.
"""

from __future__ import annotations

from bot.handlers.replies import text_reply
from bot.handlers.request import CommandRequest
from bot.services import Services
from digests.errors import CommandError
from digests.message import Line, Message, Reply, Section, Tone
from digests.store.feeds import Feed

__all__ = ["USAGE", "handle_feeds"]

USAGE = "`/news feeds` · admins: `/news feeds add URL [NAME]`, `remove ID`, `check URL`, `mute OUTLET`, `unmute OUTLET`"


def _require_admin(req: CommandRequest, action: str) -> None:
    if not req.user.is_admin:
        raise CommandError(f"Only workspace admins can {action}.", "Ask an admin; `/news feeds` lists the feeds.")
    if req.channel.is_dm:
        raise CommandError(f"You cannot {action} in a direct message.", "Run the command in a channel.")


def _line(feed: Feed) -> Line:
    whose = "all workspaces" if feed.owner is None else "this workspace"
    label = f" [{feed.label}]" if feed.label else ""
    state = feed.state if not feed.last_error else f"{feed.state}: {feed.last_error[:160]}"
    when = f"last success {feed.last_success:%Y-%m-%d %H:%M} UTC" if feed.last_success else "not polled yet"
    return Line(f"#{feed.id} {feed.name}{label} · {whose} · {state} · {when} · {feed.item_count} items", url=feed.url)


async def _list(req: CommandRequest, svc: Services) -> Reply:
    scope = (req.channel.platform, req.channel.workspace_id)
    feeds = await svc.db.feeds.list(scope)
    mutes = await svc.db.feeds.mutes(scope)
    if not feeds:
        return text_reply("No feeds yet.", f"Admins can add one: {USAGE}.")
    sections = [Section(None, tuple(_line(f) for f in feeds))]
    if mutes:
        sections.append(Section("Muted outlets", tuple(Line(m) for m in mutes)))
    return Reply(Message(f"{len(feeds)} feeds", tuple(sections)), ephemeral=not req.share)


async def handle_feeds(req: CommandRequest, svc: Services) -> Reply:
    """``feeds`` lists; ``feeds add|remove|check|mute|unmute ...`` for admins."""
    if not req.args:
        return await _list(req, svc)
    action, rest = req.args[0].lower(), list(req.args[1:])
    if action not in {"add", "remove", "check", "mute", "unmute"}:
        raise CommandError(f"Unknown feeds action `{action}`.", f"Usage: {USAGE}.")
    _require_admin(req, "manage feeds")
    scope = (req.channel.platform, req.channel.workspace_id)
    if action in {"mute", "unmute"}:
        if not rest:
            raise CommandError("Which outlet?", f"Usage: `/news feeds {action} OUTLET` (its name as shown in digests).")
        outlet = " ".join(rest)
        if action == "mute":
            done = await svc.db.feeds.mute(scope, outlet, now=svc.now(), by=req.user.id)
            return text_reply(f"Muted {outlet} here." if done else f"{outlet} was already muted.", tone=Tone.SUCCESS)
        done = await svc.db.feeds.unmute(scope, outlet)
        if not done:
            raise CommandError(f"{outlet} is not muted here.", "`/news feeds` shows the muted outlets.")
        return text_reply(f"Unmuted {outlet}.", tone=Tone.SUCCESS)
    if action == "remove":
        return await _remove(scope, rest, svc)
    if not rest:
        raise CommandError("Which feed URL?", f"Usage: `/news feeds {action} URL`.")
    return await _add_or_check(action, scope, rest, req, svc)


async def _remove(scope: tuple[str, str], rest: list[str], svc: Services) -> Reply:
    if len(rest) != 1:
        raise CommandError("Which feed?", "Usage: `/news feeds remove ID` (the #number in `/news feeds`) or URL.")
    target = rest[0].lstrip("#")
    feed = next((f for f in await svc.db.feeds.list(scope) if str(f.id) == target or f.url == target), None)
    if feed is None:
        raise CommandError(f"No feed {rest[0]} here.", "See `/news feeds` for the list.")
    if feed.owner != scope:
        raise CommandError(
            f"{feed.name} comes from the bot's configuration and serves every workspace.",
            "Ask the operator to remove it, or mute the outlet: `/news feeds mute NAME`.",
        )
    await svc.db.feeds.remove(feed.id)
    return text_reply(f"Removed {feed.name}.", "Its articles already stored stay.", tone=Tone.SUCCESS)


async def _add_or_check(
    action: str, scope: tuple[str, str], rest: list[str], req: CommandRequest, svc: Services
) -> Reply:
    from bot.poller import fetch_config
    from digests.feedops import FeedRefused, add_feed, check_feed
    from digests.fetch import Fetcher

    url, name = rest[0].strip("<>"), " ".join(rest[1:]) or None
    async with Fetcher(fetch_config(svc.settings)) as fetcher:
        try:
            if action == "check":
                parsed = await check_feed(url, fetcher)
                return text_reply(
                    f"{parsed.title or url}: a working {parsed.format} feed with {len(parsed.entries)} items.",
                    "Nothing was stored. Add it with `/news feeds add URL`.",
                    tone=Tone.SUCCESS,
                )
            feed, parsed = await add_feed(
                svc.db, fetcher, url, owner=scope, now=svc.now(), name=name, added_by=req.user.id
            )
        except FeedRefused as exc:
            raise CommandError(f"Feed not {'added' if action == 'add' else 'usable'}: {exc}.", f"URL: {url}") from None
    return text_reply(
        f"Added {feed.name} for this workspace.",
        f"{len(parsed.entries)} items; polled every {feed.interval_seconds // 60} min. Only this workspace sees it.",
        tone=Tone.SUCCESS,
        ephemeral=False,
    )
