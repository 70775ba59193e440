"""Time in one place: now in UTC, stored times read back as UTC, and dates in Hue.

Times are stored in UTC; SQLite hands them back naive, PostgreSQL aware. Dates people see or
type (a visit, "this week", a certificate) are dates in the city's time zone.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo


def utcnow() -> datetime:
    """Current time in UTC, timezone-aware; used as a callable column default."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored or received time as an aware UTC time (naive times were stored in UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The day a stored moment fell on in time zone `tz`."""
    return as_utc(moment).astimezone(tz).date()


def today_in(tz: tzinfo) -> date:
    """Today's date in time zone `tz`."""
    return datetime.now(tz).date()
