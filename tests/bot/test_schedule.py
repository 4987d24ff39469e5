from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.schedule import parse_schedule
from digests.errors import CommandError


def test_daily_in_a_timezone() -> None:
    s = parse_schedule("daily 9:00", "Europe/Kyiv")
    assert s.text == "daily 09:00"
    nxt = s.next_after(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    assert nxt is not None and nxt.astimezone(UTC) == datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def test_weekdays_skip_the_weekend() -> None:
    s = parse_schedule("weekdays 08:30", "UTC")
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)  # a Friday
    nxt = s.next_after(friday_evening)
    assert nxt is not None and nxt.astimezone(UTC) == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)


def test_daily_keeps_local_time_across_dst() -> None:
    s = parse_schedule("daily 09:00", "Europe/Kyiv")
    before = s.next_after(datetime(2026, 10, 23, 12, 0, tzinfo=UTC))  # 24 Oct: EEST, UTC+3
    after = s.next_after(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))  # 25 Oct: EET, UTC+2
    assert before is not None and before.astimezone(UTC).hour == 6
    assert after is not None and after.astimezone(UTC).hour == 7


def test_every_and_cron_and_due_slots() -> None:
    s = parse_schedule("every 2h", "UTC")
    slots = s.due_slots(datetime(2026, 1, 1, 0, 0, tzinfo=UTC), datetime(2026, 1, 1, 7, 0, tzinfo=UTC))
    assert [t.hour for t in slots] == [2, 4, 6]
    c = parse_schedule("0 9 * * 1-5", "UTC")
    assert c.text == "0 9 * * 1-5"


@pytest.mark.parametrize(
    "text", ["daily", "daily 9", "weekly 09:00", "every 0h", "every 10 days", "* * *", "0 99 * * *"]
)
def test_bad_schedules_raise_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(CommandError) as info:
        parse_schedule(text, "UTC")
    assert "daily 09:00" in str(info.value)


def test_bad_timezone() -> None:
    with pytest.raises(CommandError, match="Unknown timezone"):
        parse_schedule("daily 09:00", "../../etc/passwd")


def _utc(text: str, tz: str, a: tuple[int, ...], b: tuple[int, ...]) -> list[str]:
    s = parse_schedule(text, tz)
    return [t.strftime("%m-%d %H:%M") for t in s.due_slots(datetime(*a, tzinfo=UTC), datetime(*b, tzinfo=UTC))]


# Europe/Kyiv 2026: clocks go 03:00 -> 04:00 on 29 March (UTC+2 -> +3) and 04:00 -> 03:00 on 25 October.
SPRING, FALL = ((2026, 3, 28, 21), (2026, 3, 29, 3, 1)), ((2026, 10, 24, 21), (2026, 10, 25, 3, 1))


def test_dst_daily_0900_stays_at_local_nine() -> None:
    assert _utc("daily 09:00", "Europe/Kyiv", (2026, 3, 27, 12), (2026, 3, 31)) == [
        "03-28 07:00",
        "03-29 06:00",
        "03-30 06:00",
    ]
    assert _utc("daily 09:00", "Europe/Kyiv", (2026, 10, 23, 12), (2026, 10, 27)) == [
        "10-24 06:00",
        "10-25 07:00",
        "10-26 07:00",
    ]


def test_dst_daily_0330_skipped_time_moves_forward_repeated_time_fires_once() -> None:
    # 03:30 does not exist on 29 March: the first valid minute is 04:00 EEST (01:00 UTC)
    assert _utc("daily 03:30", "Europe/Kyiv", (2026, 3, 27, 12), (2026, 3, 31)) == [
        "03-28 01:30",
        "03-29 01:00",
        "03-30 00:30",
    ]
    # 03:30 happens twice on 25 October: only the first (EEST, 00:30 UTC)
    assert _utc("daily 03:30", "Europe/Kyiv", (2026, 10, 23, 12), (2026, 10, 27)) == [
        "10-24 00:30",
        "10-25 00:30",
        "10-26 01:30",
    ]


def test_dst_every_2h_is_anchored_at_local_midnight() -> None:
    assert _utc("every 2h", "Europe/Kyiv", *SPRING) == ["03-28 22:00", "03-29 00:00", "03-29 01:00", "03-29 03:00"]
    assert _utc("every 2h", "Europe/Kyiv", *FALL) == ["10-24 23:00", "10-25 02:00"]


def test_dst_every_30_minutes() -> None:
    spring = _utc("*/30 * * * *", "Europe/Kyiv", *SPRING)
    assert spring[-6:] == ["03-29 00:30", "03-29 01:00", "03-29 01:30", "03-29 02:00", "03-29 02:30", "03-29 03:00"]
    assert len(spring) == len(set(spring)) == 12
    fall = _utc("every 30m", "Europe/Kyiv", *FALL)
    assert fall[-5:] == ["10-25 00:00", "10-25 00:30", "10-25 02:00", "10-25 02:30", "10-25 03:00"]


def test_slots_are_the_same_from_any_starting_point() -> None:
    s = parse_schedule("every 3h", "America/New_York")
    a = s.due_slots(datetime(2026, 3, 7, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC))
    b = s.due_slots(datetime(2026, 3, 8, 5, 17, tzinfo=UTC), datetime(2026, 3, 10, tzinfo=UTC))
    assert set(b) <= set(a) and b == [t for t in a if t > datetime(2026, 3, 8, 5, 17, tzinfo=UTC)]
