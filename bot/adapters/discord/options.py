"""Typed slash-command options for each command of the handler table, and their translation.

Each command of :data:`bot.handlers.COMMANDS` gets a tuple of :class:`OptionSpec` (a command the
table gains later without a spec here gets one free-text ``arguments`` option). The specs become a
discord.py callback signature (:func:`make_callback`), and the values Discord sends back become the
``args`` and ``options`` of a :class:`~bot.handlers.CommandRequest` (:func:`to_request_parts`).
Nothing here validates: the handlers (and :mod:`.precheck`) do.
"""

from __future__ import annotations

import inspect
import shlex
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, Optional

import discord
from discord import app_commands

from bot.handlers.parse import OPTION_NAMES

__all__ = ["FALLBACK", "SPECS", "OptionSpec", "make_callback", "specs_for", "to_request_parts"]

Role = Literal["arg", "option", "setting", "split"]
Completion = Literal["topic", "status_topic", "timezone", "person"]
Run = Callable[[discord.Interaction, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One slash-command option and where its value goes in the request.

    ``role``: ``arg`` appends the value to ``args``; ``option`` sets ``options[name]`` (a true
    boolean becomes ``yes``); ``setting`` appends ``name`` and the value (``timezone Europe/Kyiv``);
    ``split`` reads the value as typed words (``key:value`` words become options).
    """

    name: str
    kind: type
    description: str
    required: bool = False
    role: Role = "arg"
    completion: Completion | None = None
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[str, ...] = ()  # a fixed set, offered as Discord choices

    def annotation(self) -> Any:
        """The type discord.py turns into the option's type (with a range for integers, or
        fixed choices)."""
        kind: Any = self.kind
        if self.choices:
            kind = Literal[self.choices]
        elif kind is int and (self.min_value is not None or self.max_value is not None):
            kind = app_commands.Range[int, self.min_value, self.max_value]
        return kind if self.required else Optional[kind]  # noqa: UP045 - discord.py reads typing.Optional


TOPIC = OptionSpec("topic", str, "Topic id, e.g. ceasefire (see /news topics)", completion="topic")
SINCE = OptionSpec("since", str, "Only news since: 24h, 7d, 30m or a date like 2025-05-20", role="option")
SHARE = OptionSpec("share", bool, "Post the answer in the channel instead of only to you", role="option")
SCHEDULE = OptionSpec("schedule", str, "daily 09:00, weekdays 08:30, every 2h, or cron like 0 9 * * 1-5")
TIMEZONE = OptionSpec("timezone", str, "IANA timezone, e.g. Europe/Kyiv", completion="timezone")
MAX = OptionSpec("max", int, "Stories per digest (1-25)", role="option", min_value=1, max_value=25)
QUIET = OptionSpec("quiet", str, "Quiet hours with no posts, e.g. 22:00-07:00", role="option")
EMPTY = OptionSpec(
    "empty", str, "When there is no news: skip (default) or say so", role="option", choices=("skip", "say")
)
MODE = OptionSpec("mode", str, "digest (on the schedule, default) or live (each new story)", role="option",
                  choices=("digest", "live"))  # fmt: skip
NAME = OptionSpec("name", str, "Topic name: 1-32 lowercase letters, digits, - or _", required=True)
WORDS = OptionSpec("words", str, 'Words or "quoted phrases" the topic matches (add only)', role="split")
FEED_ACTION = OptionSpec("action", str, "What to do (admins); leave empty to list the feeds",
                         choices=("add", "remove", "check", "mute", "unmute"))  # fmt: skip
FEED_TARGET = OptionSpec("target", str, "The feed URL, feed id or outlet name the action is about", role="split")

SPECS: dict[str, tuple[OptionSpec, ...]] = {
    "help": (),
    "digest": (TOPIC, SINCE, SHARE),
    "topics": (
        OptionSpec("action", str, "preview: the recent headlines a topic would match, and why", choices=("preview",)),
        replace(TOPIC, description="The topic to preview"),
        SHARE,
    ),
    "status": (replace(TOPIC, required=True, completion="status_topic"), SINCE, SHARE),
    "subscribe": (replace(TOPIC, required=True), SCHEDULE, TIMEZONE, MAX, QUIET, EMPTY, MODE),
    "unsubscribe": (replace(TOPIC, required=True),),
    "resume": (replace(TOPIC, required=True),),
    "subscriptions": (SHARE,),
    "topic": (
        OptionSpec("action", str, "add or remove a keyword topic", required=True, choices=("add", "remove")),
        NAME,
        WORDS,
    ),
    "settings": (replace(TIMEZONE, description="Set the workspace's default timezone", role="setting"),),
    "feeds": (FEED_ACTION, FEED_TARGET, SHARE),
}
TOPIC_OPTION = replace(TOPIC, description="Only this topic, e.g. ceasefire", role="option")
SPECS["search"] = (
    OptionSpec("query", str, 'Words that must all appear; "quoted phrases" too', required=True, role="split"),
    TOPIC_OPTION,
    SINCE,
    SHARE,
)
SPECS["quotes"] = (
    OptionSpec("person", str, "A surname or full name, e.g. Zelensky", required=True, completion="person"),
    TOPIC_OPTION,
    SINCE,
    SHARE,
)
SPECS["story"] = (OptionSpec("id", str, "The story number shown in digests and search results", required=True), SHARE)
FALLBACK = (OptionSpec("arguments", str, "Arguments, as you would type them after the command", role="split"),)


def specs_for(command: str, *, preset_topic: bool = False) -> tuple[OptionSpec, ...]:
    """The options of ``command``; without the topic when an alias supplies it."""
    specs = SPECS.get(command, FALLBACK)
    return tuple(s for s in specs if not (preset_topic and s.name == "topic"))


def to_request_parts(
    specs: tuple[OptionSpec, ...], values: Mapping[str, Any], preset_args: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], dict[str, str]]:
    """Turn the option values Discord sent into the handler's ``(args, options)``."""
    args: list[str] = list(preset_args)
    options: dict[str, str] = {}
    for spec in specs:
        value = values.get(spec.name)
        if value is None or value == "":
            continue
        if spec.role == "option":
            if isinstance(value, bool):
                if value:
                    options[spec.name] = "yes"
            else:
                options[spec.name] = str(value)
        elif spec.role == "setting":
            args += [spec.name, str(value).strip()]
        elif spec.role == "split":
            for word in _words(str(value)):
                key, sep, rest = word.partition(":")
                if sep and key in OPTION_NAMES:
                    options[key] = rest
                else:
                    args.append(word)
        else:
            args.append(str(value).strip())
    return tuple(args), options


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def make_callback(specs: tuple[OptionSpec, ...], run: Run) -> Callable[..., Coroutine[Any, Any, None]]:
    """A discord.py command callback whose signature declares ``specs`` (so discord.py builds the
    typed options from it) and which hands every value to ``run``."""

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await run(interaction, values)

    params = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)]
    for spec in specs:
        default = inspect.Parameter.empty if spec.required else None
        params.append(
            inspect.Parameter(spec.name, inspect.Parameter.KEYWORD_ONLY, annotation=spec.annotation(), default=default)
        )
    setattr(callback, "__signature__", inspect.Signature(params))  # noqa: B010 - read by inspect.signature
    if specs:
        app_commands.describe(**{s.name: s.description for s in specs})(callback)
    return callback
