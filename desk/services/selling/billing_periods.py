"""When a plan's periods start and end (dateutil's relativedelta does the calendar)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import count

from dateutil.relativedelta import relativedelta

MAX_PERIODS = 1000


def periods(
    *,
    period: str,
    starts_on: date,
    through: date,
    ends_on: date | None = None,
    billing_day: int | None = None,
    term_days: int | None = None,
) -> list[tuple[date, date]]:
    """Billing periods ``[start, end)`` whose start is on or before ``through``.

    Weekly periods run seven days from the start; yearly ones from the start's
    date each year (29 February falls back to 28 February in other years);
    monthly ones end on ``billing_day`` of each month (clamped to the month's
    last day), so a plan started mid-month has a short first period. A one-off
    plan has a single period of ``term_days``. Periods stop at ``ends_on``.
    """
    result: list[tuple[date, date]] = []
    if period == "once":
        assert term_days is not None
        if starts_on <= through:
            result.append((starts_on, starts_on + timedelta(days=term_days)))
        return result
    boundaries = _boundaries(period, starts_on, billing_day)
    start = starts_on
    for end in boundaries:
        ended = ends_on is not None and start >= ends_on
        if start > through or ended or len(result) >= MAX_PERIODS:
            break
        result.append((start, end if ends_on is None else min(end, ends_on)))
        start = end
    return result


def _boundaries(period: str, starts_on: date, billing_day: int | None) -> Iterator[date]:
    """The end of each period in turn (the start of the next)."""
    if period == "week":
        for n in count(1):
            yield starts_on + timedelta(weeks=n)
    elif period == "year":
        for n in count(1):
            # Always counted from the start, so 29 Feb comes back in leap years.
            yield starts_on + relativedelta(years=n)
    else:
        day = billing_day or starts_on.day
        month_start = starts_on.replace(day=1)
        offset = 0 if month_start + relativedelta(day=day) > starts_on else 1
        for n in count(offset):
            yield month_start + relativedelta(months=n, day=day)
