"""Small helpers that set up the records most service tests need."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import (
    AppointmentTypeView,
    AppointmentView,
    LotSource,
    LotView,
    MemberView,
    StaffView,
)
from tests.actors import SYSTEM

GYM_TZ = ZoneInfo("America/New_York")
_names = count(1)


def at_local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment given in the gym's local time (aware)."""
    return datetime(year, month, day, hour, minute, tzinfo=GYM_TZ)


def make_type(
    services: Services,
    name: str | None = None,
    *,
    duration_minutes: int = 60,
    late_cancel_hours: int = 24,
    default_price_cents: int = 0,
) -> AppointmentTypeView:
    return services.appointment_types.create(
        name=name or f"Personal training {next(_names)}",
        duration_minutes=duration_minutes,
        late_cancel_hours=late_cancel_hours,
        default_price_cents=default_price_cents,
        actor=SYSTEM,
    ).value


def make_staff(services: Services, name: str | None = None) -> StaffView:
    return services.staff.create(name=name or f"Coach {next(_names)}", actor=SYSTEM).value


def make_member(
    services: Services,
    first_name: str = "Ann",
    last_name: str = "Smith",
    **fields: str | None,
) -> MemberView:
    return services.members.create(
        first_name=first_name, last_name=last_name, **fields, actor=SYSTEM
    ).value


def give_credits(
    services: Services,
    member: MemberView | int,
    kind: AppointmentTypeView | int,
    quantity: int = 1,
    *,
    expires_on: date | None = None,
    price_cents: int = 0,
    source: LotSource = LotSource.PACKAGE,
    note: str = "",
) -> LotView:
    member_id = member if isinstance(member, int) else member.id
    type_id = kind if isinstance(kind, int) else kind.id
    return services.credits.add_credits(
        member_id=MemberId(member_id),
        appointment_type_id=AppointmentTypeId(type_id),
        quantity=quantity,
        expires_on=expires_on,
        price_cents=price_cents,
        source=source,
        note=note,
        actor=SYSTEM,
    ).value


def member_with_credits(
    services: Services,
    kind: AppointmentTypeView,
    quantity: int = 1,
    *,
    expires_on: date | None = None,
    first_name: str = "Ann",
    last_name: str = "Smith",
) -> MemberView:
    member = make_member(services, first_name, last_name)
    give_credits(services, member, kind, quantity, expires_on=expires_on)
    return member


def book(
    services: Services,
    member: MemberView,
    kind: AppointmentTypeView,
    staff: StaffView,
    starts_at: datetime,
    ends_at: datetime | None = None,
    *,
    allow_past: bool = True,
) -> AppointmentView:
    """Book as the system; a start before the clock is allowed (tests set up history)."""
    return services.booking.book(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=StaffId(staff.id),
        starts_at=starts_at,
        ends_at=ends_at,
        allow_past=allow_past,
        actor=SYSTEM,
    ).value


def open_credits(services: Services, member: MemberView, kind: AppointmentTypeView) -> int:
    return services.credits.open_credits(MemberId(member.id), AppointmentTypeId(kind.id))
