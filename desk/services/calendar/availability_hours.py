"""A staff member's working time: their weekly hours and dated exceptions as windows.

The rule, in one place: a staff member with no weekly hours at all is available
any time (so gyms, tests and the demo from before hours existed keep working);
once any weekly range is set, only their ranges count, plus one-off extra
shifts. Time off always takes time away. Hours are the gym's wall-clock times,
so 09:00-13:00 stays 09:00-13:00 across a change to or from summer time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import StaffDeliveredType, StaffMember, StaffTimeException, StaffWeeklyHours

OFF = "off"
EXTRA = "extra"
DAY_MINUTES = 24 * 60

LocalRange = tuple[datetime, datetime]
"""A range in the gym's wall-clock time (naive datetimes)."""
Window = tuple[datetime, datetime]
"""A range in UTC (aware datetimes)."""


@dataclass(frozen=True, slots=True)
class TimeException:
    id: int
    kind: str
    """"off" (time off) or "extra" (a one-off extra shift)."""
    starts_local: datetime
    ends_local: datetime
    note: str


@dataclass(frozen=True, slots=True)
class StaffAvailability:
    """Everything that says when one staff member works and what they deliver."""

    staff_id: int
    staff_name: str
    weekly: dict[int, tuple[tuple[int, int], ...]]
    """Weekday (Monday 0) to its ranges in minutes of the day, sorted."""
    exceptions: tuple[TimeException, ...]
    delivers_all_types: bool
    delivered: frozenset[int]

    @property
    def keeps_hours(self) -> bool:
        """Whether any weekly hours are set (else they are available any time)."""
        return any(self.weekly.values())

    def delivers(self, type_id: int) -> bool:
        return self.delivers_all_types or type_id in self.delivered

    def local_windows(self, day: date) -> list[LocalRange]:
        """The day's working time in wall-clock ranges, time off taken out."""
        start = datetime.combine(day, time())
        end = start + timedelta(days=1)
        if not self.keeps_hours:
            ranges: list[LocalRange] = [(start, end)]
        else:
            ranges = [
                (start + timedelta(minutes=lo), start + timedelta(minutes=hi))
                for lo, hi in self.weekly.get(day.weekday(), ())
            ]
            ranges += [
                (max(e.starts_local, start), min(e.ends_local, end))
                for e in self.exceptions
                if e.kind == EXTRA and e.starts_local < end and e.ends_local > start
            ]
        return subtract(merge(ranges), [(e.starts_local, e.ends_local) for e in self.time_off()])

    def time_off(self) -> list[TimeException]:
        return [e for e in self.exceptions if e.kind == OFF]

    def windows(self, first: date, last: date, tz: tzinfo) -> list[Window]:
        """Working time from ``first`` to ``last`` (both included) in UTC, merged."""
        found: list[LocalRange] = []
        day = first
        while day <= last:
            found += self.local_windows(day)
            day += timedelta(days=1)
        return [(to_utc(lo, tz), to_utc(hi, tz)) for lo, hi in merge(found)]


def merge(ranges: Iterable[LocalRange]) -> list[LocalRange]:
    """Ranges sorted, with overlapping or touching ones joined."""
    merged: list[LocalRange] = []
    for lo, hi in sorted(ranges):
        if hi <= lo:
            continue
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def subtract(ranges: Sequence[LocalRange], holes: Sequence[LocalRange]) -> list[LocalRange]:
    """``ranges`` without any part that lies in one of ``holes``."""
    left = list(ranges)
    for hole_lo, hole_hi in holes:
        cut: list[LocalRange] = []
        for lo, hi in left:
            if hole_hi <= lo or hole_lo >= hi:
                cut.append((lo, hi))
                continue
            if lo < hole_lo:
                cut.append((lo, hole_lo))
            if hole_hi < hi:
                cut.append((hole_hi, hi))
        left = cut
    return left


def to_utc(local: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time of the gym as a UTC moment (the earlier one in a repeated hour)."""
    return local.replace(tzinfo=tz).astimezone(UTC)


def to_local(moment: datetime, tz: tzinfo) -> datetime:
    """A UTC moment as the gym's naive wall-clock time."""
    return moment.astimezone(tz).replace(tzinfo=None)


def load_availability(
    session: Session,
    staff_ids: Sequence[int],
    *,
    from_local: datetime | None = None,
    to_local_: datetime | None = None,
) -> dict[int, StaffAvailability]:
    """The availability of each staff member in ``staff_ids`` (unknown ids are left
    out); exceptions only those overlapping [from_local, to_local_) when given.
    Four queries whatever the number of staff."""
    ids = sorted(set(staff_ids))
    if not ids:
        return {}
    names: dict[int, str] = {}
    all_types: dict[int, bool] = {}
    for staff_id, name, delivers_all in session.execute(
        select(StaffMember.id, StaffMember.name, StaffMember.delivers_all_types).where(
            StaffMember.id.in_(ids)
        )
    ):
        names[staff_id], all_types[staff_id] = name, delivers_all
    weekly: dict[int, dict[int, list[tuple[int, int]]]] = {i: {} for i in ids}
    for row in session.scalars(select(StaffWeeklyHours).where(StaffWeeklyHours.staff_id.in_(ids))):
        weekly[row.staff_id].setdefault(row.weekday, []).append((row.start_minute, row.end_minute))
    query = select(StaffTimeException).where(StaffTimeException.staff_id.in_(ids))
    if from_local is not None:
        query = query.where(StaffTimeException.ends_local > from_local)
    if to_local_ is not None:
        query = query.where(StaffTimeException.starts_local < to_local_)
    exceptions: dict[int, list[TimeException]] = {i: [] for i in ids}
    for e in session.scalars(query.order_by(StaffTimeException.starts_local)):
        exceptions[e.staff_id].append(
            TimeException(e.id, e.kind, e.starts_local, e.ends_local, e.note)
        )
    delivered: dict[int, set[int]] = {i: set() for i in ids}
    for staff_id, type_id in session.execute(
        select(StaffDeliveredType.staff_id, StaffDeliveredType.appointment_type_id).where(
            StaffDeliveredType.staff_id.in_(ids)
        )
    ):
        delivered[staff_id].add(type_id)
    return {
        i: StaffAvailability(
            staff_id=i,
            staff_name=names[i],
            weekly={day: tuple(sorted(r)) for day, r in weekly[i].items()},
            exceptions=tuple(exceptions[i]),
            delivers_all_types=all_types[i],
            delivered=frozenset(delivered[i]),
        )
        for i in ids
        if i in names
    }
