"""The demo coaches' working week: an early or a late shift, a day off each, and one
coach away on a course the day after tomorrow, so the calendar's greyed hours show.
The demo books every session inside its coach's hours (``works``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from desk.models import StaffTimeException, StaffWeeklyHours

EARLY = (6, 14)
LATE = (12, 21)
"""Shifts as whole local hours [start, end): together they cover 06:00 to 21:00."""
LUNCH = 1
"""An hour off in the middle of each shift (its fourth hour)."""


class DemoSchedule:
    def __init__(self, coaches: list[int], today: date) -> None:
        self._shift = {coach: EARLY if n % 2 == 0 else LATE for n, coach in enumerate(coaches)}
        self._day_off = {coach: (n * 3 + 6) % 7 for n, coach in enumerate(coaches)}
        self._course = (coaches[0], today + timedelta(days=2)) if coaches else None

    def _ranges(self, coach: int) -> list[tuple[int, int]]:
        first, last = self._shift[coach]
        lunch = first + 4
        return [(first, lunch), (lunch + LUNCH, last)]

    def works(self, coach: int, day: date, hour: int) -> bool:
        """Whether a session of at most an hour at ``hour`` fits the coach's day."""
        if day.weekday() == self._day_off[coach] or (coach, day) == self._course:
            return False
        return any(lo <= hour < hi for lo, hi in self._ranges(coach))

    def write(self, session: Session) -> None:
        for coach, off in self._day_off.items():
            session.add_all(
                StaffWeeklyHours(
                    staff_id=coach, weekday=day, start_minute=lo * 60, end_minute=hi * 60
                )
                for day in range(7)
                if day != off
                for lo, hi in self._ranges(coach)
            )
        if self._course is not None:
            coach, day = self._course
            session.add(
                StaffTimeException(
                    staff_id=coach, kind="off", starts_local=datetime.combine(day, time()),
                    ends_local=datetime.combine(day + timedelta(days=1), time()),
                    note="Course",
                )
            )  # fmt: skip
