"""End of day: one local day at the desk, for closing up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditEntry,
    CreditLot,
    EntryKind,
    Member,
    StaffMember,
)
from desk.services.reports.periods import end_of, start_of
from desk.services.reports.sales import SalesRow, sales


@dataclass(frozen=True, slots=True)
class DaySession:
    at: datetime
    member: str
    appointment_type: str
    coach: str


@dataclass(frozen=True, slots=True)
class DayChange:
    """A void or an adjustment of credits, with who did it and why."""

    at: datetime
    member: str
    appointment_type: str
    credits: int
    by: str
    reason: str


@dataclass(frozen=True, slots=True)
class EndOfDay:
    day: date
    check_ins: tuple[DaySession, ...]
    no_shows: tuple[DaySession, ...]
    money: SalesRow
    changes: tuple[DayChange, ...]


def end_of_day(session: Session, day: date, tz: tzinfo) -> EndOfDay:
    """Check-ins and no-shows of sessions on ``day``, its sales and payments
    (the same figures as the sales report for that day), voids and adjustments."""
    start, end = start_of(day, tz), end_of(day, tz)
    coach = aliased(StaffMember)
    sessions = (
        select(Appointment.starts_at, Member.first_name, Member.last_name, AppointmentType.name,
               coach.name, Appointment.status)
        .join(Member, Member.id == Appointment.member_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .join(coach, coach.id == Appointment.staff_id)
        .where(
            Appointment.starts_at >= start, Appointment.starts_at < end,
            Appointment.status.in_([AppointmentStatus.ATTENDED.value,
                                    AppointmentStatus.NO_SHOW.value]),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    )  # fmt: skip
    check_ins: list[DaySession] = []
    no_shows: list[DaySession] = []
    for at, first, last, type_name, coach_name, status in session.execute(sessions):
        row = DaySession(at, f"{first} {last}".strip(), type_name, coach_name)
        (check_ins if status == AppointmentStatus.ATTENDED.value else no_shows).append(row)
    by = aliased(StaffMember)
    adjusted = (
        select(CreditEntry.at, Member.first_name, Member.last_name, AppointmentType.name,
               CreditEntry.delta, by.name, CreditEntry.reason)
        .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
        .join(Member, Member.id == CreditLot.member_id)
        .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
        .outerjoin(by, by.id == CreditEntry.by_id)
        .where(CreditEntry.at >= start, CreditEntry.at < end,
               CreditEntry.kind == EntryKind.ADJUST.value)
        .order_by(CreditEntry.at, CreditEntry.id)
    )  # fmt: skip
    changes = [
        DayChange(at, f"{first} {last}".strip(), t, delta, name or "the system", reason)
        for at, first, last, t, delta, name, reason in session.execute(adjusted)
    ]
    money = sales(session, day, day, tz).total
    money.label = day.isoformat()
    return EndOfDay(day, tuple(check_ins), tuple(no_shows), money, tuple(changes))
