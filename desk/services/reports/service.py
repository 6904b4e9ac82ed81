"""ReportService: every report as one read of the database, returning its read model.

The reports only read; each opens one read transaction, so its figures are of
one moment. Dates are the gym's local days (``clock.tz``). Each read names its
``actor`` and is checked against REPORT_PERMISSIONS in that transaction: money
reports (liability, sales, everyone's coach pay) for owners and admins, the
desk's (end of day, expiring soon, attendance) for the front desk too, and a
coach sees their own coach pay only (the report is narrowed to them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from desk.db import Database
from desk.services.core.actor import Actor
from desk.services.core.clock import Clock, today
from desk.services.core.errors import ValidationError
from desk.services.core.permissions import Permission, allowed, authorize
from desk.services.reports.attendance import Attendance, attendance
from desk.services.reports.coach_pay import CoachPay, PaidSession, coach_pay, paid_sessions
from desk.services.reports.end_of_day import EndOfDay, end_of_day
from desk.services.reports.expiring import Expiring, expiring_soon
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.liability import (
    Liability,
    LiabilityMovement,
    liability_as_of,
    liability_movement,
)
from desk.services.reports.liability_cached import cached_liability_movement
from desk.services.reports.periods import check_range
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
# "days" (expiring), "by" (sales), and the filters (filters.FILTER_OPTIONS): "type",
# "coach", "plan", "package", "status" (the member's).
_OF_CREDITS = frozenset({"type", "plan", "package", "status"})
REPORTS: dict[str, frozenset[str]] = {
    "liability": frozenset({"as_of"}) | _OF_CREDITS,
    "liability-movement": frozenset({"range"}) | _OF_CREDITS,
    "expiring": frozenset({"as_of", "days"}) | _OF_CREDITS,
    "attendance": frozenset({"range", "coach"}) | _OF_CREDITS,
    "sales": frozenset({"range", "by", "plan", "package", "status"}),
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
# Who may read each report (a coach's coach pay is narrowed to their own).
REPORT_PERMISSIONS: dict[str, Permission] = {
    "liability": Permission.MONEY_REPORTS,
    "liability-movement": Permission.MONEY_REPORTS,
    "expiring": Permission.DESK_REPORTS,
    "attendance": Permission.DESK_REPORTS,
    "sales": Permission.MONEY_REPORTS,
    "end-of-day": Permission.DESK_REPORTS,
    "coach-pay": Permission.OWN_PAY,
}


def reports_for(permissions: frozenset[Permission]) -> list[str]:
    """The reports someone with ``permissions`` may open, in REPORTS' order."""
    return [name for name in REPORTS if REPORT_PERMISSIONS[name] in permissions]


class ReportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def liability(
        self, as_of: date | None = None, *, filters: ReportFilter = EVERYTHING, actor: Actor
    ) -> Liability:
        """Held credits and their value at the end of ``as_of`` (default today),
        by type, source and expiry month. Raises PermissionDenied."""
        with self._db.read() as session:
            authorize(session, actor, Permission.MONEY_REPORTS)
            return liability_as_of(
                session, as_of or today(self._clock), self._clock.tz, filters, self._clock.now()
            )

    def liability_movement(
        self, first: date, last: date, *, filters: ReportFilter = EVERYTHING, actor: Actor
    ) -> LiabilityMovement:
        """The liability roll-forward over ``first``..``last``: for all credits or one
        type from the closed days in the report cache (filling it with the ones it
        lacks, liability_cached.py), for the other filters replayed. Raises
        ValidationError when ``first`` is after ``last``, PermissionDenied."""
        with self._db.read() as session:
            authorize(session, actor, Permission.MONEY_REPORTS)
            if filters.given <= {"type"}:
                check_range(first, last)
        if filters.given <= {"type"}:
            return cached_liability_movement(self._db, self._clock, first, last, filters.type_id)
        with self._db.read() as session:
            return liability_movement(
                session, first, last, self._clock.tz, filters, self._clock.now()
            )

    def expiring(
        self,
        days: int = 30,
        *,
        on: date | None = None,
        filters: ReportFilter = EVERYTHING,
        actor: Actor,
    ) -> Expiring:
        """Members with open credits expiring within ``days`` of ``on`` (default today).
        Raises ValidationError for a window outside 0..366 days, PermissionDenied."""
        with self._db.read() as session:
            authorize(session, actor, Permission.DESK_REPORTS)
            return expiring_soon(
                session, on or today(self._clock), days, self._clock.now(), filters
            )

    def attendance(
        self, first: date, last: date, *, filters: ReportFilter = EVERYTHING, actor: Actor
    ) -> Attendance:
        """Sessions by status, per type, coach and week, and the no-show list.
        Raises ValidationError when ``first`` is after ``last``, PermissionDenied."""
        with self._db.read() as session:
            authorize(session, actor, Permission.DESK_REPORTS)
            return attendance(session, first, last, self._clock.tz, filters)

    def sales(
        self,
        first: date,
        last: date,
        *,
        by: str = "day",
        filters: ReportFilter = EVERYTHING,
        actor: Actor,
    ) -> Sales:
        """Sales, payments by method, account credit and voids by day, week or month.
        Raises ValidationError for ``first`` after ``last`` or an unknown ``by``,
        PermissionDenied."""
        with self._db.read() as session:
            authorize(session, actor, Permission.MONEY_REPORTS)
            return sales(session, first, last, self._clock.tz, by, filters)

    def end_of_day(self, day: date | None = None, *, actor: Actor) -> EndOfDay:
        """One local day (default today) for closing the desk. Raises PermissionDenied."""
        with self._db.read() as session:
            authorize(session, actor, Permission.DESK_REPORTS)
            return end_of_day(session, day or today(self._clock), self._clock.tz)

    def coach_pay(
        self, first: date, last: date, *, filters: ReportFilter = EVERYTHING, actor: Actor
    ) -> CoachPay:
        """Attended sessions per coach and their pay (the sessions themselves listed
        for a chosen coach, see coach_pay.coach_pay); for someone without money
        reports (a coach) only their own. Raises ValidationError when ``first`` is
        after ``last``, PermissionDenied."""
        with self._db.read() as session:
            filters = self._own_pay(session, actor, filters)
            return coach_pay(session, first, last, self._clock.tz, filters)

    def coach_pay_sessions(
        self, first: date, last: date, *, filters: ReportFilter = EVERYTHING, actor: Actor
    ) -> Iterator[tuple[int, str, PaidSession]]:
        """Every attended session of the period and its pay, ``(staff_id, coach, session)``
        by coach then start, streamed in one read (the full CSV export); for
        someone without money reports only their own. Raises ValidationError when
        ``first`` is after ``last``, PermissionDenied (on the first row asked)."""
        with self._db.read() as session:
            filters = self._own_pay(session, actor, filters)
            yield from paid_sessions(session, first, last, self._clock.tz, filters)

    @staticmethod
    def _own_pay(session: Session, actor: Actor, filters: ReportFilter) -> ReportFilter:
        authorize(session, actor, Permission.OWN_PAY)
        if allowed(session, actor, Permission.MONEY_REPORTS):
            return filters
        return replace(filters, coach_id=actor.staff_id)

    def table(
        self,
        name: str,
        *,
        first: date | None = None,
        last: date | None = None,
        as_of: date | None = None,
        days: int | None = None,
        by: str | None = None,
        filters: ReportFilter = EVERYTHING,
        actor: Actor,
    ) -> ReportTable:
        """The report ``name`` (a key of REPORTS) as one table. The period defaults to
        the 30 days through ``last`` (default today), ``as_of`` to today. ``filters``
        narrow the reports that take them (the others ignore them). Raises
        ValidationError for an unknown report, a period that ends before it starts
        or a bad window or grouping; PermissionDenied."""
        if name not in REPORTS:
            raise ValidationError("report", f"There is no report {name!r}.")
        now = today(self._clock)
        last = last or now
        first = first or default_first(last)
        as_of = as_of or now
        filters = filters.only(REPORTS[name])
        if name == "liability":
            return liability_table(self.liability(as_of, filters=filters, actor=actor))
        if name == "liability-movement":
            return movement_table(
                self.liability_movement(first, last, filters=filters, actor=actor)
            )
        if name == "expiring":
            window = 30 if days is None else days
            return expiring_table(self.expiring(window, on=as_of, filters=filters, actor=actor))
        if name == "attendance":
            return attendance_table(self.attendance(first, last, filters=filters, actor=actor))
        if name == "sales":
            return sales_table(
                self.sales(first, last, by=by or "day", filters=filters, actor=actor)
            )
        if name == "end-of-day":
            return end_of_day_table(self.end_of_day(as_of, actor=actor))
        return coach_pay_table(self.coach_pay(first, last, filters=filters, actor=actor))
