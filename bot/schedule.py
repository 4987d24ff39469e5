"""Subscription schedules: ``daily 09:00``, ``weekdays 08:30``, ``every 2h``, or a 5-field cron
expression, in an IANA timezone. APScheduler's triggers do the calendar arithmetic (DST included);
this module only parses the user's words into a trigger and reports clear errors.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from digests.errors import CommandError

__all__ = ["MIN_INTERVAL", "SCHEDULE_FORMS", "Schedule", "parse_schedule", "parse_timezone"]

SCHEDULE_FORMS = "Accepted schedules: `daily 09:00`, `weekdays 08:30`, `every 2h` (or 30m), or cron like `0 9 * * 1-5`."

#: The shortest time between two digests of one subscription (``live`` has its own minimum).
MIN_INTERVAL = timedelta(minutes=15)

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


_MICRO = timedelta(microseconds=1)


def _exists(wall: datetime, tz: ZoneInfo) -> bool:
    aware = wall.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def _to_instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """The real instant of a local wall-clock time: a time skipped by a DST change moves forward to
    the first minute that exists; a time that happens twice means its first occurrence."""
    probe = wall
    for _ in range(24 * 60):
        if _exists(probe, tz):
            return probe.replace(tzinfo=tz, fold=0).astimezone(UTC)
        probe = probe.replace(second=0, microsecond=0) + timedelta(minutes=1)
    raise ValueError(f"no valid local time near {wall}")  # pragma: no cover - no zone has a day-long gap


@dataclass(frozen=True)
class Schedule:
    """A schedule in local wall-clock time. The cron arithmetic runs on wall-clock times (APScheduler
    with a UTC trigger standing for "local"), then each wall time is mapped to its instant, so every
    process derives the same slots, DST days included."""

    text: str  # normalised form, as stored
    timezone: str
    trigger: BaseTrigger  # fires in wall-clock time (its tz is UTC standing for local)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def next_after(self, moment: datetime) -> datetime | None:
        """The first run strictly after ``moment`` (an aware datetime), as an aware UTC datetime."""
        tz = self.tz
        wall = moment.astimezone(tz).replace(tzinfo=None)
        probe = wall.replace(tzinfo=UTC)
        for _ in range(10_000):
            fire: datetime | None = self.trigger.get_next_fire_time(None, probe + _MICRO)
            if fire is None:
                return None
            instant = _to_instant(fire.replace(tzinfo=None), tz)
            if instant > moment:
                return instant
            probe = fire
        return None  # pragma: no cover

    def due_slots(self, after: datetime, until: datetime, limit: int = 100) -> list[datetime]:
        """Every run in (after, until], oldest first, at most ``limit``."""
        slots: list[datetime] = []
        current = self.next_after(after)
        while current is not None and current <= until and len(slots) < limit:
            slots.append(current)
            current = self.next_after(current)
        return slots


_DAY = timedelta(days=1)
_ANCHOR = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday of a leap year; wall-clock time (UTC stands for local)


def too_close(trigger: BaseTrigger) -> timedelta | None:
    """The gap between two consecutive firings of a cron trigger when it is under ``MIN_INTERVAL``;
    None when every gap is long enough.

    A 5-field cron fires at every (day, hour, minute) of the product of its fields, so every firing
    day has the same times: the gaps within the first firing day, and the gap from one day's last
    firing to the next day's first where two firing days are consecutive, are all the gaps there are.
    """
    first: datetime | None = trigger.get_next_fire_time(None, _ANCHOR)
    if first is None:
        return None
    day_end = first.replace(hour=0, minute=0) + _DAY
    last = first
    while True:
        fire: datetime | None = trigger.get_next_fire_time(None, last + _MICRO)
        if fire is None or fire >= day_end:
            break
        if fire - last < MIN_INTERVAL:
            return fire - last
        last = fire
    overnight = first + _DAY - last  # one day's last firing → the next day's first, if both days fire
    if overnight >= MIN_INTERVAL:
        return None
    day = first
    for _ in range(800):  # about two years of firing days: is one followed by the next calendar day?
        nxt: datetime | None = trigger.get_next_fire_time(None, day.replace(hour=23, minute=59, second=59))
        if nxt is None:
            return None
        if nxt.date() == (day + _DAY).date():
            return overnight
        day = nxt
    return None


@functools.lru_cache(maxsize=4096)  # every tick re-reads every subscription's schedule; a Schedule is immutable
def parse_schedule(text: str, timezone: str = "UTC") -> Schedule:
    """Parse a schedule; raises CommandError with the accepted forms when it cannot.

    ``every Nh`` and ``every Nm`` are anchored at local midnight: slots fall at multiples of N after
    00:00 local time each day, so they are the same in every process and after every restart.
    """
    parse_timezone(timezone)
    words = " ".join(text.split())
    lowered = words.lower()
    if lowered.startswith(("daily ", "weekdays ")):
        kind, _, at = lowered.partition(" ")
        m = _TIME.match(at)
        if not m:
            raise CommandError(f"Bad time `{at}` (use 24-hour HH:MM).", SCHEDULE_FORMS)
        hour, minute = int(m.group(1)), int(m.group(2))
        dow = "mon-fri" if kind == "weekdays" else "*"
        trigger: BaseTrigger = CronTrigger(day_of_week=dow, hour=hour, minute=minute, timezone=UTC)
        return Schedule(f"{kind} {hour:02d}:{minute:02d}", timezone, trigger)
    m = _EVERY.match(words)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        if unit.startswith("h"):
            if not 1 <= n <= 24:
                raise CommandError("`every Nh` takes N from 1 to 24.", SCHEDULE_FORMS)
            return Schedule(f"every {n}h", timezone, CronTrigger(hour=f"*/{n}", minute=0, timezone=UTC))
        if n not in (15, 20, 30, 60):
            raise CommandError(
                "`every Nm` takes 15, 20, 30 or 60 minutes (between 15 minutes and 7 days).", SCHEDULE_FORMS
            )
        if n == 60:
            return Schedule("every 1h", timezone, CronTrigger(minute=0, timezone=UTC))
        return Schedule(f"every {n}m", timezone, CronTrigger(minute=f"*/{n}", timezone=UTC))
    if len(words.split()) == 5:
        try:
            trigger = CronTrigger.from_crontab(words, timezone=UTC)
        except ValueError as exc:
            raise CommandError(f"Bad cron expression `{words}`: {exc}.", SCHEDULE_FORMS) from None
        gap = too_close(trigger)
        if gap is not None:
            minutes = int(gap.total_seconds() // 60)
            raise CommandError(
                f"`{words}` would post {minutes} minute{'s' if minutes != 1 else ''} apart; digests are at least"
                f" {MIN_INTERVAL.seconds // 60} minutes apart.",
                "Use `every 15m` (or 20m, 30m), a cron such as `*/15 * * * *`, or `live` for each story as it comes.",
            )
        return Schedule(words, timezone, trigger)
    raise CommandError(f"Unknown schedule `{words}`.", SCHEDULE_FORMS)
