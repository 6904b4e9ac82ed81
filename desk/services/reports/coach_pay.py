"""Coach pay: attended sessions per coach in a period, at each coach's pay rules.

Every session's pay is worked out in the database (``pay_sql``): a rate, or a
percentage of the value of the credit that paid for it, rounded down to the
cent; the credit's value is the one rule of lot_value (the nth credit a lot
spends, its sessions ranked in the order they spent them). The report sums pay
per coach in SQL; it lists the sessions of one chosen coach only, the first
``LISTED`` of them (a year of a big gym's sessions is never sent to the
screen); ``paid_sessions`` streams them all, for a full CSV export.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, case, func, literal, select
from sqlalchemy.orm import Session

from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditLot,
    Member,
    StaffMember,
    StaffPayRule,
)
from desk.services.credits.credit_reads import used_its_credit
from desk.services.credits.lot_value import SqlInt, credits_value_sql
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.periods import check_range, end_of, start_of

LISTED = 1_000  # sessions of the chosen coach listed on the report (the CSV has all)


@dataclass(frozen=True, slots=True)
class PaidSession:
    appointment_id: int
    starts_at: datetime
    member: str
    appointment_type: str
    credit_value_cents: int
    rule: str
    pay_cents: int


@dataclass(frozen=True, slots=True)
class CoachPayRow:
    """One coach's attended sessions in the period and their pay, in cents."""

    staff_id: int
    coach: str
    sessions: int
    pay_cents: int


@dataclass(frozen=True, slots=True)
class CoachPay:
    first: date
    last: date
    coaches: tuple[CoachPayRow, ...]
    listed_coach: int | None = None
    """The coach whose sessions are listed (the report's coach filter), if any."""
    listed: tuple[PaidSession, ...] = ()
    """That coach's first sessions (at most LISTED), in the order they started."""

    @property
    def sessions(self) -> int:
        return sum(c.sessions for c in self.coaches)

    @property
    def pay_cents(self) -> int:
        return sum(c.pay_cents for c in self.coaches)

    @property
    def unlisted(self) -> int:
        """Sessions of the listed coach left off the list."""
        chosen = [c.sessions for c in self.coaches if c.staff_id == self.listed_coach]
        return sum(chosen) - len(self.listed)


def _attended(first: date, last: date, tz: tzinfo, filters: ReportFilter) -> Select[Any]:
    """The attended sessions starting on ``first``..``last`` (the status index)."""
    return select(Appointment).where(
        Appointment.status == AppointmentStatus.ATTENDED.value,
        Appointment.starts_at >= start_of(first, tz), Appointment.starts_at < end_of(last, tz),
        *filters.appointments(),
    )  # fmt: skip


def _nth(lots: Select[Any]) -> Subquery:
    """``(appointment_id, nth)``: each session that used a credit of one of ``lots``,
    ranked within its lot in the order they spent its credits (start, then id;
    the lot-and-start index gives that order without a sort)."""
    rank = func.row_number().over(
        partition_by=Appointment.lot_id, order_by=(Appointment.starts_at, Appointment.id)
    )
    return (
        select(Appointment.id.label("appointment_id"), rank.label("nth"))
        .where(Appointment.lot_id.in_(lots), used_its_credit())
        .subquery("nth")
    )


def nth_credit_value_sql(price: SqlInt, quantity: SqlInt, nth: SqlInt) -> ColumnElement[int]:
    """lot_value.value_of_nth_credit in SQL, from the value rule's own SQL form:
    what the lot's last ``quantity - nth + 1`` credits are worth less its last
    ``quantity - nth``."""
    return credits_value_sql(price, quantity, quantity - nth + 1) - credits_value_sql(
        price, quantity, quantity - nth
    )


def pay_sql(rule: Any, value: ColumnElement[int]) -> ColumnElement[int]:
    """A session's pay by its coach's rule for its type: the rate, or the percentage
    of the credit's value rounded down to the cent; nothing without a rule."""
    return case(
        (rule.rate_cents.is_not(None), rule.rate_cents),
        (rule.percent.is_not(None), value * rule.percent // 100),
        else_=literal(0),
    )


def _priced(sessions: Subquery, nth: Subquery) -> tuple[Select[Any], ColumnElement[int]]:
    """``sessions`` with each one's pay rule joined, and the value of its credit."""
    value = func.coalesce(
        nth_credit_value_sql(CreditLot.price_cents, CreditLot.quantity, nth.c.nth), 0
    )
    joined = (
        select(sessions.c.id)
        .select_from(sessions)
        .outerjoin(StaffPayRule, (StaffPayRule.staff_id == sessions.c.staff_id)
                   & (StaffPayRule.appointment_type_id == sessions.c.appointment_type_id))
        .outerjoin(nth, nth.c.appointment_id == sessions.c.id)
        .outerjoin(CreditLot, CreditLot.id == sessions.c.lot_id)
    )  # fmt: skip
    return joined, value


def _totals(session: Session, sessions: Subquery) -> tuple[CoachPayRow, ...]:
    """Sessions and pay per coach, summed in the database; only sessions paid by a
    percentage need their credit's value (and their lots' sessions ranked)."""
    by_percent = (
        select(sessions.c.lot_id)
        .join(StaffPayRule, (StaffPayRule.staff_id == sessions.c.staff_id)
              & (StaffPayRule.appointment_type_id == sessions.c.appointment_type_id))
        .where(StaffPayRule.percent.is_not(None))
    )  # fmt: skip
    joined, value = _priced(sessions, _nth(by_percent))
    per_coach = (
        joined.with_only_columns(
            sessions.c.staff_id, func.count(), func.sum(pay_sql(StaffPayRule, value))
        ).group_by(sessions.c.staff_id)
    ).subquery("per_coach")
    named = select(per_coach.c.staff_id, StaffMember.name, *list(per_coach.c)[1:]).join(
        StaffMember, StaffMember.id == per_coach.c.staff_id
    )
    rows = [CoachPayRow(int(i), name, int(n), int(pay or 0)) for i, name, n, pay in
            session.execute(named)]  # fmt: skip
    return tuple(sorted(rows, key=lambda r: (r.coach, r.staff_id)))


def _rule_text(rate_cents: int | None, percent: int | None) -> str:
    if rate_cents is not None:
        return "rate"
    return "no rule" if percent is None else f"{percent}%"


def _session_rows(sessions: Subquery) -> Select[Any]:
    """Every one of ``sessions`` with its member, type, credit value, rule and pay,
    by coach (name), then start."""
    joined, value = _priced(sessions, _nth(select(sessions.c.lot_id)))
    return (
        joined.with_only_columns(
            sessions.c.staff_id, StaffMember.name, sessions.c.id, sessions.c.starts_at,
            Member.first_name,
            Member.last_name, AppointmentType.name, value, StaffPayRule.rate_cents,
            StaffPayRule.percent, pay_sql(StaffPayRule, value),
        )
        .join(Member, Member.id == sessions.c.member_id)
        .join(AppointmentType, AppointmentType.id == sessions.c.appointment_type_id)
        .join(StaffMember, StaffMember.id == sessions.c.staff_id)
        .order_by(StaffMember.name, sessions.c.staff_id, sessions.c.starts_at, sessions.c.id)
    )  # fmt: skip


def _paid(row: Any) -> tuple[int, str, PaidSession]:
    staff_id, coach, appt, starts, first_name, last_name, type_name, value, rate, percent, pay = row
    return int(staff_id), coach, PaidSession(
        int(appt), starts, f"{first_name} {last_name}".strip(), type_name, int(value),
        _rule_text(rate, percent), int(pay),
    )  # fmt: skip


def coach_pay(
    session: Session,
    first: date,
    last: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
) -> CoachPay:
    """Attended sessions starting on ``first``..``last`` and their pay, per coach,
    each paid by the coach's rule for its type (a rate, or a percentage of the
    paying credit's value rounded down to the cent; nothing without a rule).
    With a coach filter, that coach's first LISTED sessions are listed too.
    Raises ValidationError when ``first`` is after ``last``."""
    check_range(first, last)
    attended = _attended(first, last, tz, filters)
    totals = _totals(session, attended.subquery("sessions"))
    if filters.coach_id is None:
        return CoachPay(first, last, totals)
    page = attended.order_by(Appointment.starts_at, Appointment.id).limit(LISTED)
    listed = tuple(_paid(r)[2] for r in session.execute(_session_rows(page.subquery("sessions"))))
    return CoachPay(first, last, totals, int(filters.coach_id), listed)


def paid_sessions(
    session: Session,
    first: date,
    last: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
) -> Iterator[tuple[int, str, PaidSession]]:
    """Every attended session of the period with its pay, as ``(staff_id, coach,
    session)``
    by coach then start, streamed from the database (the full CSV export).
    Raises ValidationError when ``first`` is after ``last``."""
    check_range(first, last)
    rows = _session_rows(_attended(first, last, tz, filters).subquery("sessions"))
    for row in session.execute(rows.execution_options(yield_per=2_000)):
        yield _paid(row)
