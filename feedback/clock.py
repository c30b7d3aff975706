"""Times are stored in UTC and read in Québec's time zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

QUEBEC = ZoneInfo("America/Toronto")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    return datetime.now(QUEBEC).date()


def local_day_start(day: date) -> datetime:
    """Midnight of a Québec day, in UTC: what a survey answer keeps of its time (the day only)."""
    return datetime.combine(day, time.min, tzinfo=QUEBEC).astimezone(UTC)
