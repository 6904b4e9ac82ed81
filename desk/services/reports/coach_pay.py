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

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Subquery,
    case,
    func,
    literal,
    select,
    union_all,
)
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


_SESSION_COLUMNS = ("id", "staff_id", "appointment_type_id", "member_id", "starts_at", "lot_id")


def _ranked(sessions: Subquery, lots: Select[Any]) -> Subquery:
    """``sessions`` with ``nth``: which credit of its lot each spent, for those of
    ``lots`` (the others get none). The sessions that used a credit of those lots
    are ranked in the order they spent them (start, then id) from the lot-and-start
    index; the rest are added as they are. Every join here is an IN, so the
    database never pairs two derived tables row by row."""
    rank = func.row_number().over(
        partition_by=Appointment.lot_id, order_by=(Appointment.starts_at, Appointment.id)
    )
    wanted = lots.distinct().subquery("wanted")
    # From the wanted lots to their sessions (a LEFT JOIN, which SQLite never
    # reorders), so the lot-and-start index drives, not every used session ever.
    ranked = (
        select(*(getattr(Appointment, c) for c in _SESSION_COLUMNS), rank.label("nth"))
        .select_from(wanted)
        .outerjoin(Appointment, Appointment.lot_id == next(iter(wanted.c)))
        .where(used_its_credit())
        .cte("ranked")
    )
    ids = select(sessions.c.id)
    return union_all(
        select(*(ranked.c[c] for c in _SESSION_COLUMNS), ranked.c.nth)
        .where(ranked.c.id.in_(ids)),
        select(*(sessions.c[c] for c in _SESSION_COLUMNS), literal(None, Integer))
        .where(sessions.c.id.not_in(select(ranked.c.id))),
    ).subquery("ranked_sessions")  # fmt: skip


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


def _priced(sessions: Subquery, lots: Select[Any]) -> tuple[Subquery, ColumnElement[int]]:
    """``sessions`` ranked (see ``_ranked``) and the value of each one's credit
    (0 for a session ranked no credit); join the pay rule and the lot to it."""
    ranked = _ranked(sessions, lots)
    value = func.coalesce(
        nth_credit_value_sql(CreditLot.price_cents, CreditLot.quantity, ranked.c.nth), 0
    )
    return ranked, value


def _with_rule(ranked: Subquery) -> ColumnElement[bool]:
    return (StaffPayRule.staff_id == ranked.c.staff_id) & (
        StaffPayRule.appointment_type_id == ranked.c.appointment_type_id
    )


def _totals(session: Session, sessions: Subquery) -> tuple[CoachPayRow, ...]:
    """Sessions and pay per coach, summed in the database; only sessions paid by a
    percentage need their credit's value (and their lots' sessions ranked)."""
    by_percent = (
        select(sessions.c.lot_id)
        .join(StaffPayRule, (StaffPayRule.staff_id == sessions.c.staff_id)
              & (StaffPayRule.appointment_type_id == sessions.c.appointment_type_id))
        .where(StaffPayRule.percent.is_not(None), sessions.c.lot_id.is_not(None))
    )  # fmt: skip
    ranked, value = _priced(sessions, by_percent)
    per_coach = (
        select(ranked.c.staff_id, StaffMember.name, func.count(),
               func.sum(pay_sql(StaffPayRule, value)))
        .select_from(ranked)
        .join(StaffMember, StaffMember.id == ranked.c.staff_id)
        .outerjoin(StaffPayRule, _with_rule(ranked))
        .outerjoin(CreditLot, CreditLot.id == ranked.c.lot_id)
        .group_by(ranked.c.staff_id, StaffMember.name)
    )  # fmt: skip
    rows = [CoachPayRow(int(i), name, int(n), int(pay or 0)) for i, name, n, pay in
            session.execute(per_coach)]  # fmt: skip
    return tuple(sorted(rows, key=lambda r: (r.coach, r.staff_id)))


def _rule_text(rate_cents: int | None, percent: int | None) -> str:
    if rate_cents is not None:
        return "rate"
    return "no rule" if percent is None else f"{percent}%"


def _session_rows(sessions: Subquery) -> Select[Any]:
    """Every one of ``sessions`` with its member, type, credit value, rule and pay,
    by coach (name), then start."""
    ranked, value = _priced(sessions, select(sessions.c.lot_id))
    return (
        select(
            ranked.c.staff_id, StaffMember.name, ranked.c.id, ranked.c.starts_at,
            Member.first_name, Member.last_name, AppointmentType.name, value,
            StaffPayRule.rate_cents, StaffPayRule.percent, pay_sql(StaffPayRule, value),
        )
        .select_from(ranked)
        .join(Member, Member.id == ranked.c.member_id)
        .join(AppointmentType, AppointmentType.id == ranked.c.appointment_type_id)
        .join(StaffMember, StaffMember.id == ranked.c.staff_id)
        .outerjoin(StaffPayRule, _with_rule(ranked))
        .outerjoin(CreditLot, CreditLot.id == ranked.c.lot_id)
        .order_by(StaffMember.name, ranked.c.staff_id, ranked.c.starts_at, ranked.c.id)
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
