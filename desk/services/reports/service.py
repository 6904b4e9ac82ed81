"""ReportService: every report as one read of the database, returning its read model.

The reports only read; each opens one read transaction, so its figures are of
one moment. Dates are the gym's local days (``clock.tz``).
"""

from __future__ import annotations

from datetime import date

from desk.db import Database
from desk.services.core.clock import Clock, today
from desk.services.reports.attendance import Attendance, attendance
from desk.services.reports.coach_pay import CoachPay, coach_pay
from desk.services.reports.end_of_day import EndOfDay, end_of_day
from desk.services.reports.expiring import Expiring, expiring_soon
from desk.services.reports.liability import (
    Liability,
    LiabilityMovement,
    liability_as_of,
    liability_movement,
)
from desk.services.reports.sales import Sales, sales


class ReportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def liability(self, as_of: date | None = None, *, type_id: int | None = None) -> Liability:
        """Held credits and their value at the end of ``as_of`` (default today),
        by type, source and expiry month."""
        with self._db.read() as session:
            return liability_as_of(session, as_of or today(self._clock), self._clock.tz, type_id)

    def liability_movement(
        self, first: date, last: date, *, type_id: int | None = None
    ) -> LiabilityMovement:
        """The liability roll-forward over ``first``..``last``. Raises ValidationError
        when ``first`` is after ``last``."""
        with self._db.read() as session:
            return liability_movement(session, first, last, self._clock.tz, type_id)

    def expiring(
        self, days: int = 30, *, on: date | None = None, type_id: int | None = None
    ) -> Expiring:
        """Members with open credits expiring within ``days`` of ``on`` (default today).
        Raises ValidationError for a window outside 0..366 days."""
        with self._db.read() as session:
            return expiring_soon(
                session, on or today(self._clock), days, self._clock.now(), type_id
            )

    def attendance(
        self, first: date, last: date, *, type_id: int | None = None, coach_id: int | None = None
    ) -> Attendance:
        """Sessions by status, per type, coach and week, and the no-show list.
        Raises ValidationError when ``first`` is after ``last``."""
        with self._db.read() as session:
            return attendance(
                session, first, last, self._clock.tz, type_id=type_id, coach_id=coach_id
            )

    def sales(self, first: date, last: date, *, by: str = "day") -> Sales:
        """Sales, payments, account credit and voids by day, week or month.
        Raises ValidationError for ``first`` after ``last`` or an unknown ``by``."""
        with self._db.read() as session:
            return sales(session, first, last, self._clock.tz, by)

    def end_of_day(self, day: date | None = None) -> EndOfDay:
        """One local day (default today) for closing the desk."""
        with self._db.read() as session:
            return end_of_day(session, day or today(self._clock), self._clock.tz)

    def coach_pay(self, first: date, last: date, *, coach_id: int | None = None) -> CoachPay:
        """Attended sessions per coach and their pay. Raises ValidationError when
        ``first`` is after ``last``."""
        with self._db.read() as session:
            return coach_pay(session, first, last, self._clock.tz, coach_id)
