"""What the availability service hands back: frozen views, no rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class WeeklyRange:
    """Working hours on one weekday (Monday 0), in minutes of the gym's day."""

    weekday: int
    start_minute: int
    end_minute: int


@dataclass(frozen=True, slots=True)
class TimeExceptionView:
    id: int
    staff_id: int
    kind: str
    """"off" (time off) or "extra" (a one-off extra shift)."""
    starts_local: datetime
    ends_local: datetime
    """Both the gym's wall-clock time (naive)."""
    note: str


@dataclass(frozen=True, slots=True)
class StaffHoursView:
    """Everything Settings > Staff > Hours shows for one staff member."""

    staff_id: int
    staff_name: str
    weekly: tuple[WeeklyRange, ...]
    exceptions: tuple[TimeExceptionView, ...]
    delivers_all_types: bool
    delivered_type_ids: frozenset[int]

    @property
    def keeps_hours(self) -> bool:
        """No weekly hours at all means available any time (time off aside)."""
        return bool(self.weekly)


@dataclass(frozen=True, slots=True)
class TimeOffBlock:
    """Time off on the calendar (UTC), with its note."""

    starts_at: datetime
    ends_at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class StaffCalendarDays:
    """One staff member's working time over a range of days, for the calendar to grey
    the rest: ``windows`` (UTC, merged) and the time-off blocks."""

    staff_id: int
    keeps_hours: bool
    windows: tuple[tuple[datetime, datetime], ...]
    time_off: tuple[TimeOffBlock, ...]
