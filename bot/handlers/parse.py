"""Turning a typed command line into a command name, arguments and ``key:value`` options."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from digests.errors import CommandError

__all__ = ["OPTION_NAMES", "parse_line", "parse_since"]

OPTION_NAMES = frozenset({"since", "share", "max", "mode", "quiet", "empty", "as-of", "topic"})
_OPTION = re.compile(r"^([a-z][a-z-]*):(.*)$")
_DURATION = re.compile(r"^(\d{1,4})\s*(m|h|d|w)$")


def parse_line(
    line: str, *, namespace: str = "news", aliases: Mapping[str, tuple[str, str]] | None = None
) -> tuple[str, list[str], dict[str, str]]:
    """Split ``/news digest ceasefire since:24h`` (the ``/news`` prefix optional) into parts.

    ``aliases`` maps an alias command (``ceasefire-status``) to (command, topic id).

    Raises:
        CommandError: on unbalanced quotes or an empty line.
    """
    try:
        tokens = shlex.split(line.strip())
    except ValueError as exc:
        raise CommandError(f"Cannot read that command ({exc}).", "Check the quotation marks.") from None
    if not tokens:
        raise CommandError("Empty command.", "Type `/news help` for the list of commands.")
    first = tokens[0].lstrip("/").lower()
    rest = tokens[1:]
    if first == namespace:
        if not rest:
            first, rest = "help", []
        else:
            first, rest = rest[0].lstrip("/").lower(), rest[1:]
    if aliases and first in aliases:
        command, topic_id = aliases[first]
        rest = [topic_id, *rest]
        first = command
    args: list[str] = []
    options: dict[str, str] = {}
    for token in rest:
        m = _OPTION.match(token)
        if m and m.group(1) in OPTION_NAMES:
            options[m.group(1)] = m.group(2)
        else:
            args.append(token)
    return first, args, options


def parse_since(value: str, now: datetime) -> datetime:
    """``24h``, ``30m``, ``7d``, ``2w`` before ``now``, or an ISO date/time (UTC when no zone).

    Raises:
        CommandError: naming the accepted forms.
    """
    text = value.strip().lower()
    m = _DURATION.match(text)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        delta = {"m": timedelta(minutes=n), "h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}
        return now - delta[unit]
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"Cannot read the time `{value}`.", "Use a duration like `24h`, `7d`, `30m`, or a date like `2025-05-20`."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
