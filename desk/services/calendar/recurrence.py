"""When a recurring booking happens: dateutil's rrule over the gym's wall clock.

Occurrences are generated as local wall-clock times (10:00 every Tuesday stays
10:00 across a daylight-saving change) and only then converted to UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dateutil.rrule import WEEKLY, rrule, weekday

from desk.services.core.errors import ValidationError

MAX_OCCURRENCES = 104


@dataclass(frozen=True)
class Repeat:
    """A weekly pattern: every ``interval_weeks`` weeks on ``weekdays`` (0 = Monday).

    Ends after ``count`` occurrences or on ``until`` (inclusive), exactly one
    of them. With no weekdays, the first occurrence's weekday repeats.
    """

    interval_weeks: int = 1
    weekdays: tuple[int, ...] = ()
    count: int | None = None
    until: date | None = None


def occurrences(first_start: datetime, repeat: Repeat | None, tz: tzinfo) -> list[datetime]:
    """UTC start times of every occurrence, the first included.

    Raises ValidationError for a pattern that ends before it starts, has no end,
    or has more than MAX_OCCURRENCES occurrences.
    """
    if first_start.tzinfo is None:
        raise ValidationError("starts_at", "A time must carry its time zone.")
    if repeat is None:
        return [first_start.astimezone(UTC)]
    if not 1 <= repeat.interval_weeks <= 52:
        raise ValidationError("repeat", "Repeat every 1 to 52 weeks.")
    if (repeat.count is None) == (repeat.until is None):
        raise ValidationError("repeat", "Say how often: a number of sessions or an end date.")
    if repeat.count is not None and not 1 <= repeat.count <= MAX_OCCURRENCES:
        raise ValidationError("repeat", f"Book 1 to {MAX_OCCURRENCES} sessions at a time.")
    if any(not 0 <= d <= 6 for d in repeat.weekdays):
        raise ValidationError("repeat", "Weekdays run from Monday (0) to Sunday (6).")
    local = first_start.astimezone(tz)
    start_naive = local.replace(tzinfo=None)
    if repeat.until is not None and repeat.until < local.date():
        raise ValidationError("repeat", "The end date is before the first session.")
    rule = rrule(
        WEEKLY,
        dtstart=start_naive,
        interval=repeat.interval_weeks,
        byweekday=[weekday(d) for d in sorted(set(repeat.weekdays))] or None,
        count=repeat.count,
        until=datetime.combine(repeat.until, time.max) if repeat.until else None,
    )
    starts: list[datetime] = []
    for n, wall in enumerate(rule):
        if n >= MAX_OCCURRENCES:
            raise ValidationError(
                "repeat", f"That pattern makes more than {MAX_OCCURRENCES} sessions; end it sooner."
            )
        starts.append(_localize(wall, tz).astimezone(UTC))
    return starts


def shift_wall_clock(moment: datetime, shift: timedelta, tz: tzinfo) -> datetime:
    """``moment`` moved by ``shift`` on the gym's wall clock, in UTC: a weekly 10:00
    session moved by an hour is at 11:00 on both sides of a daylight-saving change."""
    wall = moment.astimezone(tz).replace(tzinfo=None) + shift
    return _localize(wall, tz).astimezone(UTC)


def wall_clock_shift(old: datetime, new: datetime, tz: tzinfo) -> timedelta:
    """How far ``new`` is from ``old`` on the gym's wall clock."""
    return new.astimezone(tz).replace(tzinfo=None) - old.astimezone(tz).replace(tzinfo=None)


def _localize(wall: datetime, tz: tzinfo) -> datetime:
    """Attach the zone to a wall-clock time, moving a time that doesn't exist
    (inside a spring-forward gap) to the same time an hour later."""
    aware = wall.replace(tzinfo=tz)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != wall:
        aware = (wall + timedelta(hours=1)).replace(tzinfo=tz)
    return aware
