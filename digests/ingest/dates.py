"""Publication dates from files and pages: ISO 8601, RFC 2822 or a bare ``YYYY-MM-DD``.

Every result is a timezone-aware UTC ``datetime``; a value without a timezone is taken as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["parse_published"]


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
