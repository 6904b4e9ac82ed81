"""The credit ledger: booking draws from lots; cancel, late cancel, check-in, no-show."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desk.db import Database
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, InvalidState, NotFound, ValidationError
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import balance, remaining, row_counts
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
    member_with_credits,
    open_credits,
)

# --- booking draws from lots ------------------------------------------------------------------


def test_the_lot_that_expires_first_pays(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = make_member(services)
    forever = give_credits(services, member, pt, 1)
    late = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 31))
    soon = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 20))
    paid_by = [
        book(services, member, pt, coach, at_local(2026, 3, 10 + i, 9)).lot_id for i in range(3)
    ]
    assert paid_by == [soon.id, late.id, forever.id]
    with pytest.raises(InsufficientCredits):
        book(services, member, pt, coach, at_local(2026, 3, 14, 9))


def test_a_lot_must_still_be_valid_on_the_appointment_date(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = make_member(services)
    short = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 10))
    # On its last day the short lot still pays...
    first = book(services, member, pt, coach, at_local(2026, 3, 10, 18))
    assert first.lot_id == short.id
    services.booking.cancel(AppointmentId(first.id), actor=SYSTEM)
    # ...but not for an appointment after it.
    with pytest.raises(InsufficientCredits, match="Wednesday 11 March 2026"):
        book(services, member, pt, coach, at_local(2026, 3, 11, 9))
    longer = give_credits(services, member, pt, 1)
    assert book(services, member, pt, coach, at_local(2026, 3, 11, 9)).lot_id == longer.id
    assert remaining(services, member) == {short.id: 1, longer.id: 0}


def test_the_appointment_date_is_the_gyms_local_date(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = make_member(services)
    give_credits(services, member, pt, 1, expires_on=date(2026, 3, 10))
    # 22:00 in New York on the 10th is already the 11th in UTC; the lot still pays.
    appointment = book(services, member, pt, coach, at_local(2026, 3, 10, 22))
    assert appointment.starts_at.astimezone(UTC).date() == date(2026, 3, 11)
    assert appointment.lot_id is not None


def test_an_expired_lot_cannot_be_booked(services: Services, clock) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2, expires_on=date(2026, 3, 10))
    clock.current = datetime(2026, 3, 12, 15, tzinfo=clock.current.tzinfo)
    assert open_credits(services, member, pt) == 0
    with pytest.raises(InsufficientCredits):
        book(services, member, pt, coach, at_local(2026, 3, 13, 9))
    # Not even for a day in the past when the lot was still valid.
    with pytest.raises(InsufficientCredits):
        book(services, member, pt, coach, at_local(2026, 3, 9, 9))
    assert services.booking.for_member(MemberId(member.id)) == []


# --- cancel, late cancel, check-in, no-show ---------------------------------------------------


def test_cancel_in_time_returns_the_credit_to_the_lot_that_paid(services: Services) -> None:
    pt = make_type(services, late_cancel_hours=24)
    coach = make_staff(services)
    member = make_member(services)
    forever = give_credits(services, member, pt, 1)
    soon = give_credits(services, member, pt, 1, expires_on=date(2026, 3, 20))
    appointment = book(services, member, pt, coach, at_local(2026, 3, 9, 9))
    assert appointment.lot_id == soon.id
    assert remaining(services, member) == {forever.id: 1, soon.id: 0}

    outcome = services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    assert outcome.value.late is False
    assert outcome.value.credit_returned is True
    assert outcome.value.appointment.status == AppointmentStatus.CANCELLED
    assert remaining(services, member) == {forever.id: 1, soon.id: 1}
    assert open_credits(services, member, pt) == 2
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (2, 0, 0)


def test_late_cancel_forfeits_the_credit(services: Services) -> None:
    pt = make_type(services, late_cancel_hours=24)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    # Tomorrow 09:00 is 23 hours away: inside the 24-hour window.
    appointment = book(services, member, pt, coach, at_local(2026, 3, 5, 9))
    assert services.booking.is_late_cancel(AppointmentId(appointment.id))
    outcome = services.booking.cancel(AppointmentId(appointment.id), reason="sick", actor=SYSTEM)
    assert outcome.value.late is True
    assert outcome.value.credit_returned is False
    assert outcome.value.appointment.status == AppointmentStatus.LATE_CANCELLED
    assert open_credits(services, member, pt) == 1
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 0, 1)
    # The slot is free again for someone else.
    other = member_with_credits(services, pt, 1, first_name="Bob")
    book(services, other, pt, coach, at_local(2026, 3, 5, 9))


def test_late_cancel_window_boundary(services: Services, clock) -> None:
    pt = make_type(services, late_cancel_hours=2)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    # 10:00 now; 12:01 is just outside a 2-hour window, 12:00 just inside.
    outside = book(services, member, pt, coach, at_local(2026, 3, 4, 12, 1))
    inside = book(
        services, member, pt, coach, at_local(2026, 3, 4, 12, 0), at_local(2026, 3, 4, 12, 1)
    )
    assert not services.booking.cancel(AppointmentId(outside.id), actor=SYSTEM).value.late
    assert services.booking.cancel(AppointmentId(inside.id), actor=SYSTEM).value.late
    assert open_credits(services, member, pt) == 1


def test_late_cancel_override_needs_a_reason_and_returns_the_credit(
    services: Services, database: Database
) -> None:
    pt = make_type(services, late_cancel_hours=24)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 1)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 4, 17))
    before = row_counts(database)
    with pytest.raises(ValidationError) as error:
        services.booking.cancel(
            AppointmentId(appointment.id), return_credit=True, reason="  ", actor=SYSTEM
        )
    assert error.value.field == "reason"
    assert row_counts(database) == before
    assert services.booking.get(AppointmentId(appointment.id)).status == AppointmentStatus.BOOKED

    outcome = services.booking.cancel(
        AppointmentId(appointment.id),
        return_credit=True,
        reason="Gym closed for a storm",
        actor=SYSTEM,
    )
    assert outcome.value.late is True
    assert outcome.value.credit_returned is True
    assert outcome.value.appointment.status == AppointmentStatus.CANCELLED
    assert open_credits(services, member, pt) == 1
    [event] = services.audit.events(member_id=member.id, action="appointment.cancel")
    assert event.after is not None
    assert event.after["reason"] == "Gym closed for a storm"
    assert event.after["credit_returned"] is True


def test_check_in_marks_attended_and_uses_the_credit(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 4, 11))
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 1, 0)
    checked = services.booking.check_in(AppointmentId(appointment.id), actor=SYSTEM).value
    assert checked.status == AppointmentStatus.ATTENDED
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 0, 1)
    with pytest.raises(InvalidState, match="attended"):
        services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    with pytest.raises(InvalidState):
        services.booking.check_in(AppointmentId(appointment.id), actor=SYSTEM)


def test_no_show_is_refused_before_the_start_and_forfeits_after(services: Services, clock) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 2)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 4, 11))
    with pytest.raises(InvalidState, match="before it starts"):
        services.booking.no_show(AppointmentId(appointment.id), actor=SYSTEM)
    assert services.booking.get(AppointmentId(appointment.id)).status == AppointmentStatus.BOOKED
    clock.current = at_local(2026, 3, 4, 11, 5)
    marked = services.booking.no_show(AppointmentId(appointment.id), actor=SYSTEM).value
    assert marked.status == AppointmentStatus.NO_SHOW
    row = balance(services, member, pt.id)
    assert (row.open, row.booked, row.used) == (1, 0, 1)
    assert open_credits(services, member, pt) == 1
    with pytest.raises(InvalidState):
        services.booking.no_show(AppointmentId(appointment.id), actor=SYSTEM)


def test_cancelling_twice_is_refused(services: Services) -> None:
    pt = make_type(services)
    coach = make_staff(services)
    member = member_with_credits(services, pt, 1)
    appointment = book(services, member, pt, coach, at_local(2026, 3, 20, 9))
    services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    with pytest.raises(InvalidState, match="already cancelled"):
        services.booking.cancel(AppointmentId(appointment.id), actor=SYSTEM)
    with pytest.raises(InvalidState):
        services.booking.check_in(AppointmentId(appointment.id), actor=SYSTEM)
    # The credit came back once, not twice.
    assert open_credits(services, member, pt) == 1
    with pytest.raises(NotFound):
        services.booking.cancel(AppointmentId(999), actor=SYSTEM)
