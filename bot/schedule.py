"""Subscription schedules: ``daily 09:00``, ``weekdays 08:30``, ``every 2h``, or a 5-field cron
expression, in an IANA timezone. APScheduler's triggers do the calendar arithmetic (DST included);
this module only parses the user's words into a trigger and reports clear errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from digests.errors import CommandError

__all__ = ["SCHEDULE_FORMS", "Schedule", "parse_schedule", "parse_timezone"]

SCHEDULE_FORMS = "Accepted schedules: `daily 09:00`, `weekdays 08:30`, `every 2h` (or 30m), or cron like `0 9 * * 1-5`."

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EVERY = re.compile(r"^every\s+(\d+)\s*(m|min|mins|minutes?|h|hours?)$", re.IGNORECASE)


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA timezone, or a CommandError naming the problem."""
    try:
        if not re.fullmatch(r"[A-Za-z0-9_+\-/]{1,64}", name):
            raise ValueError
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(
            f"Unknown timezone `{name}`.", "Use an IANA name such as `Europe/Kyiv`, `America/New_York` or `UTC`."
        ) from None


@dataclass(frozen=True)
class Schedule:
    text: str  # normalised form, as stored
    timezone: str
    trigger: BaseTrigger

    def next_after(self, moment: datetime) -> datetime | None:
        """The first run strictly after ``moment``."""
        nxt: datetime | None = self.trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
        return nxt

    def due_slots(self, after: datetime, until: datetime, limit: int = 100) -> list[datetime]:
        """Every run in (after, until], oldest first, at most ``limit``."""
        slots: list[datetime] = []
        current = self.next_after(after)
        while current is not None and current <= until and len(slots) < limit:
            slots.append(current)
            current = self.next_after(current)
        return slots


def parse_schedule(text: str, timezone: str = "UTC") -> Schedule:
    """Parse a schedule; raises CommandError with the accepted forms when it cannot."""
    tz = parse_timezone(timezone)
    words = " ".join(text.split())
    lowered = words.lower()
    if lowered.startswith(("daily ", "weekdays ")):
        kind, _, at = lowered.partition(" ")
        m = _TIME.match(at)
        if not m:
            raise CommandError(f"Bad time `{at}` (use 24-hour HH:MM).", SCHEDULE_FORMS)
        hour, minute = int(m.group(1)), int(m.group(2))
        dow = "mon-fri" if kind == "weekdays" else "*"
        trigger: BaseTrigger = CronTrigger(day_of_week=dow, hour=hour, minute=minute, timezone=tz)
        return Schedule(f"{kind} {hour:02d}:{minute:02d}", timezone, trigger)
    m = _EVERY.match(words)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        minutes = n * 60 if unit.startswith("h") else n
        if not 15 <= minutes <= 7 * 24 * 60:
            raise CommandError("Interval must be between 15 minutes and 7 days.", SCHEDULE_FORMS)
        start = datetime(2000, 1, 1, tzinfo=tz)
        norm = f"every {n}h" if unit.startswith("h") else f"every {n}m"
        return Schedule(norm, timezone, IntervalTrigger(minutes=minutes, start_date=start, timezone=tz))
    if len(words.split()) == 5:
        try:
            trigger = CronTrigger.from_crontab(words, timezone=tz)
        except ValueError as exc:
            raise CommandError(f"Bad cron expression `{words}`: {exc}.", SCHEDULE_FORMS) from None
        return Schedule(words, timezone, trigger)
    raise CommandError(f"Unknown schedule `{words}`.", SCHEDULE_FORMS)
