"""Publication dates from files and pages: ISO 8601, RFC 2822 or a bare ``YYYY-MM-DD``.

Every result is a timezone-aware UTC ``datetime``; a value without a timezone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["dateline_date", "infer_date", "parse_published", "url_date"]


def parse_published(value: str) -> datetime:
    """Parse a publication date and return it as an aware UTC ``datetime``.

    Accepts ISO 8601 (``2025-05-20T08:30:00+02:00``, ``...Z``, naive, or a date alone) and
    RFC 2822 (``Tue, 20 May 2025 08:30:00 +0200``). Raises ``ValueError`` on anything else.
    """
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        raise ValueError(f"unrecognised date {value!r}: expected ISO 8601, RFC 2822 or YYYY-MM-DD")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# --- Publication dates found in an article's own URL or text -------------------------------------

_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])(?=/)")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATELINE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH_RE})\.?,?\s+(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<y3>(?:19|20)\d\d)-(?P<m3>0[1-9]|1[0-2])-(?P<d3>0[1-9]|[12]\d|3[01]))\b",
    re.IGNORECASE,
)
DATELINE_CHARS = 160  # a date this close to the top of the text is the article's own (a dateline)


def _day(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def url_date(url: str | None) -> tuple[datetime | None, tuple[int, int] | None]:
    """The publication day a URL path gives (``/2025/05/28/``, ``/2025-05-28-``, ``/20250528/``),
    else None; and the span of days it allows (a day, or a whole month for ``/2025/05/``)."""
    if not url:
        return None, None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in (_URL_DAY, _URL_COMPACT):
        if match := pattern.search(path):
            day = _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if day is not None:
                return day, (day.toordinal(), day.toordinal())
    if match := _URL_MONTH.search(path):
        year, month = int(match.group(1)), int(match.group(2))
        first = datetime(year, month, 1).toordinal()
        last = datetime(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        return None, (first, last)
    return None, None


def dateline_date(text: str) -> datetime | None:
    """A full date (with its year) at the very top of the text: ``WASHINGTON, May 28, 2025 —``,
    ``28 May 2025``, ``2025-05-28``. A date further down is about something else and is ignored."""
    match = _DATELINE.search(text[:DATELINE_CHARS])
    if match is None:
        return None
    g = match.groupdict()
    for m, d, y in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g[m]:
            return _day(int(g[y]), _MONTHS[g[m].lower().rstrip(".")], int(g[d]))
    return _day(int(g["y3"]), int(g["m3"]), int(g["d3"]))


def infer_date(url: str | None, text: str) -> tuple[datetime | None, str | None, tuple[int, int] | None]:
    """For an article that came without a date: (publication day, where it came from, span of days).

    The URL path first (``"url"``), then a dateline at the top of the text (``"dateline"``). A URL
    giving only a month is no publication date, but limits the span of days for grouping.
    """
    day, span = url_date(url)
    if day is not None:
        return day, "url", span
    line = dateline_date(text)
    if line is not None:
        return line, "dateline", (line.toordinal(), line.toordinal())
    return None, ("url-month" if span else None), span
