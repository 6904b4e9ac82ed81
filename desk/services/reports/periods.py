"""Report periods: the gym's local days as UTC instants, and checking a range."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from desk.services.core.errors import ValidationError

# A year and a day: long enough for any report a desk asks for.
MAX_DAYS = 3_700


def start_of(day: date, tz: tzinfo) -> datetime:
    """The UTC instant the gym's local ``day`` begins."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def end_of(day: date, tz: tzinfo) -> datetime:
    """The UTC instant the gym's local ``day`` ends (the next day's start, exclusive)."""
    return start_of(day + timedelta(days=1), tz)


def check_range(first: date, last: date) -> None:
    """Raise ValidationError when ``first`` is after ``last`` or the range is absurd."""
    if first > last:
        raise ValidationError("from", f"The period starts ({first}) after it ends ({last}).")
    if (last - first).days > MAX_DAYS:
        raise ValidationError("to", "A report covers at most ten years.")


def week_of(day: date) -> date:
    """The Monday that starts ``day``'s week (reports group weeks by their Monday)."""
    return day - timedelta(days=day.weekday())


def bucket_of(day: date, by: str) -> str:
    """``day``'s group in a report by "day", "week" (its Monday) or "month"."""
    if by == "day":
        return day.isoformat()
    if by == "week":
        return week_of(day).isoformat()
    if by == "month":
        return f"{day:%Y-%m}"
    raise ValidationError("by", f"Group by day, week or month, not {by!r}.")
