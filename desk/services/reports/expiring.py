"""Expiring soon: who has credits running out, with how to reach them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.models import Appointment, AppointmentStatus, AppointmentType, CreditLot, Member
from desk.services.core.errors import ValidationError
from desk.services.credits.lot_value import value_of_credits
from desk.services.credits.paying_lot import can_pay_on
from desk.services.reports.filters import EVERYTHING, ReportFilter


@dataclass(frozen=True, slots=True)
class ExpiringRow:
    """One member with open credits expiring in the window."""

    member_id: int
    name: str
    email: str
    phone: str
    credits: int
    value_cents: int
    first_expiry: date
    types: str
    next_booking: datetime | None


@dataclass(frozen=True, slots=True)
class Expiring:
    first: date
    last: date
    rows: tuple[ExpiringRow, ...]

    @property
    def credits(self) -> int:
        return sum(r.credits for r in self.rows)

    @property
    def value_cents(self) -> int:
        return sum(r.value_cents for r in self.rows)


@dataclass(frozen=True, slots=True)
class _Contact:
    first_name: str
    last_name: str
    email: str | None
    phone: str | None


@dataclass(slots=True)
class _Person:
    member: _Contact
    first: date
    credits: int = 0
    value: int = 0
    types: list[str] = field(default_factory=list)


def expiring_soon(
    session: Session, on: date, days: int, now: datetime, filters: ReportFilter = EVERYTHING
) -> Expiring:
    """Members whose open credits expire from ``on`` to ``on + days`` (included),
    soonest first, with their next booked session. Raises ValidationError for a
    window outside 0..366 days."""
    if isinstance(days, bool) or not 0 <= days <= 366:
        raise ValidationError("days", "Look ahead 0 to 366 days.")
    last = on + timedelta(days=days)
    # Plain columns, not entities: a busy month's thousands of lots load as tuples.
    query = (
        select(
            CreditLot.expires_on,
            CreditLot.remaining,
            CreditLot.price_cents,
            CreditLot.quantity,
            Member.id,
            Member.first_name,
            Member.last_name,
            Member.email,
            Member.phone,
            AppointmentType.name,
        )
        .join(Member, Member.id == CreditLot.member_id)
        .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
        .where(can_pay_on(on), CreditLot.expires_on <= last, *filters.lots())
        .order_by(CreditLot.expires_on, Member.id, CreditLot.id)
    )
    people: dict[int, _Person] = {}
    for expires_on, remaining, price, quantity, member_id, *member, type_name in session.execute(
        query
    ):
        assert expires_on is not None
        person = people.setdefault(member_id, _Person(_Contact(*member), expires_on))
        person.credits += remaining
        # The open credits are a lot's last ones: valued by the one rule.
        person.value += value_of_credits(price, quantity, remaining)
        if type_name not in person.types:
            person.types.append(type_name)
    nexts: dict[int, datetime] = {}
    if people:
        nexts = dict(
            session.execute(
                select(Appointment.member_id, func.min(Appointment.starts_at))
                .where(
                    Appointment.member_id.in_(list(people)),
                    Appointment.status == AppointmentStatus.BOOKED.value,
                    Appointment.starts_at >= now,
                )
                .group_by(Appointment.member_id)
            ).all()
        )
    rows = [
        ExpiringRow(
            member_id, f"{p.member.first_name} {p.member.last_name}".strip(),
            p.member.email or "", p.member.phone or "", p.credits, p.value, p.first,
            ", ".join(p.types), nexts.get(member_id),
        )
        for member_id, p in people.items()
    ]  # fmt: skip
    return Expiring(on, last, tuple(rows))
