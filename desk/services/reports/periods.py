"""Report periods: the gym's local days as UTC instants, and checking a range."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, case, literal

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


def index_of_instant(moment: Any, starts: list[datetime]) -> ColumnElement[Any]:
    """A SQL expression giving which of the consecutive spans beginning at ``starts``
    (sorted UTC instants: the gym's days or weeks) ``moment`` falls in, as its
    index, so the database groups rows by the gym's local days or weeks,
    daylight saving and all. The comparisons nest as a binary search: about 9 per
    row for a year of days, not one per day. ``moment`` is before ``starts[1]``
    for index 0 (callers keep rows within the period)."""

    def pick(lo: int, hi: int) -> ColumnElement[Any]:
        if lo == hi:
            return literal(lo)
        mid = (lo + hi + 1) // 2
        return case((moment < starts[mid], pick(lo, mid - 1)), else_=pick(mid, hi))

    return pick(0, len(starts) - 1)
