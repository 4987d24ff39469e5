"""The one command table every adapter registers: ``/news <command>`` plus per-topic aliases.

Handlers are plain async functions ``(CommandRequest, Services) -> Reply``; adapters only translate
a platform's request into a ``CommandRequest`` and render the ``Reply``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot.handlers.ask import handle_quotes, handle_search, handle_story
from bot.handlers.feeds import handle_feeds
from bot.handlers.manage import (
    handle_resume,
    handle_settings,
    handle_subscribe,
    handle_subscriptions,
    handle_topic,
    handle_unsubscribe,
)
from bot.handlers.news import handle_digest, handle_status, handle_topics
from bot.handlers.parse import parse_line
from bot.handlers.replies import error_reply
from bot.handlers.request import ChannelRef, CommandRequest, UserRef
from bot.metrics import COMMAND_LATENCY
from bot.services import Services
from digests.errors import CommandError
from digests.message import Line, Message, Reply, Section, Tone
from digests.topics import Topic

__all__ = [
    "COMMANDS",
    "ChannelRef",
    "Command",
    "CommandRequest",
    "UserRef",
    "alias_table",
    "dispatch",
    "dispatch_line",
]

log = logging.getLogger(__name__)

Handler = Callable[[CommandRequest, Services], Awaitable[Reply]]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    handler: Handler
    admin_only: bool = False
    slow: bool = False  # may take more than a moment: adapters defer first


async def handle_help(req: CommandRequest, svc: Services) -> Reply:
    """``help``: every command with a one-line usage, and the topic aliases."""
    lines = [Line(f"/news {c.usage} — {c.summary}{' (admins)' if c.admin_only else ''}") for c in COMMANDS.values()]
    for alias, (command, topic_id) in sorted(alias_table(svc.topics).items()):
        lines.append(Line(f"/{alias} — same as /news {command} {topic_id}"))
    return Reply(
        Message(
            "newsbot commands",
            (Section(None, tuple(lines)),),
            intro="Options: `since:24h` limits to recent news; `share:yes` posts the answer in the channel.",
        )
    )


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command("help", "help", "this list", handle_help),
        Command("digest", "digest [TOPIC] [since:24h]", "the newest stories on a topic, now", handle_digest, slow=True),
        Command(
            "topics",
            "topics [preview TOPIC]",
            "topics you can subscribe to; preview: the recent headlines a topic would match, and why",
            handle_topics,
        ),
        Command(
            "status",
            "status TOPIC [since:24h]",
            "where a tracked story stands, with evidence",
            handle_status,
            slow=True,
        ),
        Command(
            "subscribe",
            "subscribe TOPIC [daily 09:00|weekdays 08:30|every 2h|CRON|live] [TIMEZONE] [max:5] [quiet:22:00-07:00]"
            " [empty:say]",
            "post a topic's digest in this channel on a schedule",
            handle_subscribe,
            admin_only=True,
        ),
        Command(
            "unsubscribe",
            "unsubscribe TOPIC",
            "stop a topic's digest in this channel",
            handle_unsubscribe,
            admin_only=True,
        ),
        Command("resume", "resume TOPIC", "restart a paused subscription here", handle_resume, admin_only=True),
        Command("subscriptions", "subscriptions", "this channel's subscriptions (admins: all)", handle_subscriptions),
        Command(
            "topic",
            'topic add NAME word "a phrase"... | topic remove NAME',
            "this workspace's own keyword topics",
            handle_topic,
            admin_only=True,
        ),
        Command("settings", "settings [timezone ZONE]", "workspace settings", handle_settings),
        Command(
            "feeds",
            "feeds [add URL|remove ID|check URL|mute OUTLET|unmute OUTLET]",
            "the feeds this workspace's digests come from (admins: manage them)",
            handle_feeds,
            slow=True,
        ),
        Command("search", "search WORDS [topic:T] [since:7d]", "stories whose articles say these words", handle_search),
        Command(
            "quotes", "quotes PERSON [topic:T] [since:7d]", "what a person said, verbatim, newest first", handle_quotes
        ),
        Command("story", "story ID", "one story in full: every outlet, timeline, quotes, figures", handle_story),
    )
}


def alias_table(topics: Mapping[str, Topic]) -> dict[str, tuple[str, str]]:
    """Alias command → (command, topic id), from the topics' config (``/ceasefire-status``)."""
    table: dict[str, tuple[str, str]] = {}
    for topic in topics.values():
        for alias, command in topic.aliases.items():
            if command in COMMANDS:
                table[alias] = (command, topic.id)
    return table


async def dispatch(req: CommandRequest, svc: Services) -> Reply:
    """Run one command. Never raises: a wrong command gets an error reply, a bug a logged apology."""
    started = time.perf_counter()
    try:
        return await _dispatch(req, svc)
    finally:
        label = req.command if req.command in COMMANDS else "unknown"
        COMMAND_LATENCY.labels(command=label).observe(time.perf_counter() - started)


async def _dispatch(req: CommandRequest, svc: Services) -> Reply:
    command = COMMANDS.get(req.command)
    try:
        if command is None:
            raise CommandError(f"Unknown command `{req.command}`.", "Type `/news help` for the list of commands.")
        return await command.handler(req, svc)
    except CommandError as exc:
        return error_reply(exc)
    except Exception:
        log.exception("command %s failed", req.command)
        return Reply(
            Message(
                "Something went wrong on our side; it has been logged.",
                (Section(None, (Line("Try again in a moment, or `/news help`."),)),),
                tone=Tone.ERROR,
            )
        )


async def dispatch_line(line: str, user: UserRef, channel: ChannelRef, svc: Services) -> Reply:
    """Parse a typed command line (``/news`` prefix optional) and dispatch it."""
    try:
        name, args, options = parse_line(line, aliases=alias_table(svc.topics))
    except CommandError as exc:
        return error_reply(exc)
    return await dispatch(CommandRequest(name, tuple(args), user, channel, options), svc)
