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
