"""Fast argument checks (no I/O) run before the first reply, so that a wrong command is answered
at once, well inside Discord's 3 seconds, with the problem and what to type instead.

They reuse the handlers' own parsers (``since``, schedules, timezones, quiet hours; topics only for
``status``, since status tracking exists only for config topics, while a workspace's own keyword
topics live in the database) and decide nothing the handlers would not: a request that passes still
goes through ``dispatch``, which validates again. Permissions are left to the handlers.
"""

from __future__ import annotations

from bot.handlers.manage import parse_quiet
from bot.handlers.news import resolve_topic
from bot.handlers.parse import parse_since
from bot.handlers.request import CommandRequest
from bot.schedule import parse_schedule, parse_timezone
from bot.services import Services
from digests.errors import CommandError

__all__ = ["precheck"]


def precheck(req: CommandRequest, svc: Services) -> CommandError | None:
    """The first problem with ``req``'s arguments, or ``None`` when they look right.

    Args:
        req: the translated request.
        svc: services; only the in-memory topics and the clock are used.

    Returns:
        A :class:`CommandError` naming the problem and the accepted form, or ``None``.
    """
    try:
        if req.command == "status" and req.args:
            resolve_topic(svc, req.args[0], need_status=True)
        if "since" in req.options:
            parse_since(req.options["since"], svc.now())
        if req.command == "subscribe":
            rest = list(req.args[1:])
            timezone = "UTC"
            if rest and ("/" in rest[-1] or rest[-1].upper() == "UTC"):
                timezone = rest.pop()
            if rest and [w.lower() for w in rest] != ["live"]:
                parse_schedule(" ".join(rest), timezone)
            else:
                parse_timezone(timezone)
            if "quiet" in req.options:
                parse_quiet(req.options["quiet"])
        if req.command == "settings" and len(req.args) == 2:
            parse_timezone(req.args[1])
    except CommandError as exc:
        return exc
    return None
