"""ReportService: every report as one read of the database, returning its read model.

The reports only read; each opens one read transaction, so its figures are of
one moment. Dates are the gym's local days (``clock.tz``).
"""

from __future__ import annotations

from datetime import date, timedelta

from desk.db import Database
from desk.services.core.clock import Clock, today
from desk.services.core.errors import ValidationError
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
from desk.services.reports.tables import (
    ReportTable,
    attendance_table,
    coach_pay_table,
    end_of_day_table,
    expiring_table,
    liability_table,
    movement_table,
    sales_table,
)

DEFAULT_DAYS = 30  # a period not given is the 30 days to its last day (default today)


def default_first(last: date) -> date:
    """The first day of a period given only its last: 30 days in all."""
    return last - timedelta(days=DEFAULT_DAYS - 1)


# Each report and the options it takes: "range" (first and last day), "as_of",
# "days" (expiring), "by" (sales), "type" (one appointment type), "coach".
REPORTS: dict[str, frozenset[str]] = {
    "liability": frozenset({"as_of", "type"}),
    "liability-movement": frozenset({"range", "type"}),
    "expiring": frozenset({"as_of", "days", "type"}),
    "attendance": frozenset({"range", "type", "coach"}),
    "sales": frozenset({"range", "by"}),
    "end-of-day": frozenset({"as_of"}),
    "coach-pay": frozenset({"range", "coach"}),
}
REPORT_TITLES = {
    "liability": "Credit liability",
    "liability-movement": "Liability movement",
    "expiring": "Expiring soon",
    "attendance": "Attendance",
    "sales": "Sales and account",
    "end-of-day": "End of day",
    "coach-pay": "Coach pay",
}


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

    def table(
        self,
        name: str,
        *,
        first: date | None = None,
        last: date | None = None,
        as_of: date | None = None,
        days: int | None = None,
        by: str | None = None,
        type_id: int | None = None,
        coach_id: int | None = None,
    ) -> ReportTable:
        """The report ``name`` (a key of REPORTS) as one table. The period defaults to
        the 30 days through ``last`` (default today), ``as_of`` to
        today. ``type_id`` and ``coach_id`` narrow the reports that take them (the
        others ignore them). Raises ValidationError for an unknown report, a period that ends
        before it starts or a bad window or grouping."""
        if name not in REPORTS:
            raise ValidationError("report", f"There is no report {name!r}.")
        now = today(self._clock)
        last = last or now
        first = first or default_first(last)
        as_of = as_of or now
        if name == "liability":
            return liability_table(self.liability(as_of, type_id=type_id))
        if name == "liability-movement":
            return movement_table(self.liability_movement(first, last, type_id=type_id))
        if name == "expiring":
            window = 30 if days is None else days
            return expiring_table(self.expiring(window, on=as_of, type_id=type_id))
        if name == "attendance":
            return attendance_table(
                self.attendance(first, last, type_id=type_id, coach_id=coach_id)
            )
        if name == "sales":
            return sales_table(self.sales(first, last, by=by or "day"))
        if name == "end-of-day":
            return end_of_day_table(self.end_of_day(as_of))
        return coach_pay_table(self.coach_pay(first, last, coach_id=coach_id))
