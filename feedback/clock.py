"""Times are stored in UTC and read in Québec's time zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUEBEC = ZoneInfo("America/Toronto")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    return datetime.now(QUEBEC).date()


def local_day_start(day: date) -> datetime:
    """Midnight of a Québec day, in UTC: what a survey answer keeps of its time (the day only)."""
    return datetime.combine(day, time.min, tzinfo=QUEBEC).astimezone(UTC)


def local_week_start(day: date) -> datetime:
    """Monday 0:00 of a day's Québec week, in UTC: what an anonymous comment keeps of its time."""
    return local_day_start(day - timedelta(days=day.weekday()))
