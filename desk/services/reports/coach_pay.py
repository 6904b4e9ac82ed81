"""Coach pay: attended sessions per coach in a period, at each coach's pay rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
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
from desk.services.credits.lot_value import value_of_nth_credit
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.periods import check_range, end_of, start_of


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
    staff_id: int
    coach: str
    sessions: tuple[PaidSession, ...]

    @property
    def pay_cents(self) -> int:
        return sum(s.pay_cents for s in self.sessions)


@dataclass(frozen=True, slots=True)
class CoachPay:
    first: date
    last: date
    coaches: tuple[CoachPayRow, ...]

    @property
    def sessions(self) -> int:
        return sum(len(c.sessions) for c in self.coaches)

    @property
    def pay_cents(self) -> int:
        return sum(c.pay_cents for c in self.coaches)


def credit_values(session: Session, lot_ids: set[int]) -> dict[int, int]:
    """Appointment id -> the value of the credit it consumed: lots spend their
    credits in the order of their sessions, each by the one rule of lot_value."""
    if not lot_ids:
        return {}
    rows = session.execute(
        select(Appointment.id, CreditLot.id, CreditLot.price_cents, CreditLot.quantity)
        .join(CreditLot, CreditLot.id == Appointment.lot_id)
        .where(Appointment.lot_id.in_(sorted(lot_ids)), used_its_credit())
        .order_by(CreditLot.id, Appointment.starts_at, Appointment.id)
    )
    spent: dict[int, int] = defaultdict(int)
    values = {}
    for appointment_id, lot_id, price, quantity in rows:
        spent[lot_id] += 1
        values[appointment_id] = value_of_nth_credit(price, quantity, spent[lot_id])
    return values


def _pay(rule: StaffPayRule | None, value: int) -> tuple[str, int]:
    if rule is None:
        return "no rule", 0
    if rule.rate_cents is not None:
        return "rate", rule.rate_cents
    percent = rule.percent or 0
    return f"{percent}%", value * percent // 100


def coach_pay(
    session: Session,
    first: date,
    last: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
) -> CoachPay:
    """Every attended session starting on ``first``..``last`` by coach, each paid by
    the coach's rule for its type (a rate, or a percentage of the paying credit's
    value rounded down to the cent; nothing without a rule). Raises
    ValidationError when ``first`` is after ``last``."""
    check_range(first, last)
    query = (
        select(Appointment.id, Appointment.starts_at, Appointment.lot_id, Appointment.staff_id,
               Appointment.appointment_type_id, StaffMember.name, Member.first_name,
               Member.last_name, AppointmentType.name)
        .join(StaffMember, StaffMember.id == Appointment.staff_id)
        .join(Member, Member.id == Appointment.member_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .where(
            Appointment.status == AppointmentStatus.ATTENDED.value,
            Appointment.starts_at >= start_of(first, tz), Appointment.starts_at < end_of(last, tz),
        )
        .order_by(StaffMember.name, Appointment.starts_at, Appointment.id)
    )  # fmt: skip
    query = query.where(*filters.appointments())
    found = session.execute(query).all()
    values = credit_values(session, {r[2] for r in found if r[2] is not None})
    rules = {(r.staff_id, r.appointment_type_id): r for r in session.scalars(select(StaffPayRule))}
    coaches: dict[int, tuple[str, list[PaidSession]]] = {}
    for appt_id, starts, _lot, staff_id, type_id, coach, first_name, last_name, type_name in found:
        value = values.get(appt_id, 0)
        rule, pay = _pay(rules.get((staff_id, type_id)), value)
        paid = PaidSession(
            appt_id, starts, f"{first_name} {last_name}".strip(), type_name, value, rule, pay
        )
        coaches.setdefault(staff_id, (coach, []))[1].append(paid)
    return CoachPay(
        first, last,
        tuple(CoachPayRow(i, name, tuple(s)) for i, (name, s) in coaches.items()),
    )  # fmt: skip
