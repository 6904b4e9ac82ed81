"""The waitlist of a full group session: joining, leaving, and the promotion a freed
place brings (cancel, late cancel, a move out), audited and listed for Today."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.services.container import Services
from desk.services.core.errors import InvalidState, SessionFull
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentTypeView, AppointmentView, StaffView
from tests.actors import SYSTEM
from tests.services.factories import at_local, book, make_member, make_staff, open_credits

SLOT = at_local(2026, 3, 10, 18)
END = SLOT + timedelta(hours=1)


def _gym(services: Services, capacity: int = 2):
    kind = services.appointment_types.create(
        name="Small Group PT", duration_minutes=60, capacity=capacity, late_cancel_hours=2,
        actor=SYSTEM,
    ).value  # fmt: skip
    coach = make_staff(services, "Kim")
    return kind, coach


def _member(services: Services, kind: AppointmentTypeView, name: str, credits: int = 1):
    member = make_member(services, name, "Ruiz")
    if credits:
        services.credits.add_credits(
            member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
            quantity=credits, expires_on=None, actor=SYSTEM,
        )  # fmt: skip
    return member


def _wait(services: Services, member, kind: AppointmentTypeView, coach: StaffView, start=SLOT):
    return services.booking.join_waitlist(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=StaffId(coach.id), starts_at=start, ends_at=start + timedelta(hours=1),
        actor=SYSTEM,
    ).value  # fmt: skip


def _full(services: Services, kind, coach) -> list[AppointmentView]:
    return [
        book(services, _member(services, kind, f"In{i}"), kind, coach, SLOT, allow_past=False)
        for i in range(kind.capacity)
    ]


def _waiting(services: Services, kind, coach) -> list[str]:
    return [
        e.member_name
        for e in services.booking.waitlist(
            staff_id=StaffId(coach.id), appointment_type_id=AppointmentTypeId(kind.id),
            starts_at=SLOT, ends_at=END,
        )
    ]  # fmt: skip


def test_a_member_joins_the_waitlist_of_a_full_session_only(services: Services) -> None:
    kind, coach = _gym(services)
    ana = _member(services, kind, "Ana")
    with pytest.raises(InvalidState, match="has a free place"):
        _wait(services, ana, kind, coach)
    inside = _full(services, kind, coach)
    with pytest.raises(SessionFull):
        book(services, ana, kind, coach, SLOT, allow_past=False)
    entry = _wait(services, ana, kind, coach)
    assert (entry.status, entry.member_name, entry.staff_name) == ("waiting", "Ana Ruiz", "Kim")
    with pytest.raises(InvalidState, match="already on this session's waitlist"):
        _wait(services, ana, kind, coach)
    booked = services.booking.get(AppointmentId(inside[0].id))
    in_it = services.members.get(MemberId(booked.member_id))
    with pytest.raises(InvalidState, match="already booked into this session"):
        _wait(services, in_it, kind, coach)
    assert _waiting(services, kind, coach) == ["Ana Ruiz"]
    [event] = services.audit.events(action="waitlist.join")
    assert event.member_id == ana.id


def test_leaving_the_waitlist_is_a_write_of_its_own(services: Services) -> None:
    kind, coach = _gym(services)
    _full(services, kind, coach)
    entry = _wait(services, _member(services, kind, "Ana"), kind, coach)
    left = services.booking.leave_waitlist(entry.id, actor=SYSTEM)
    assert left.value.status == "left"
    assert _waiting(services, kind, coach) == []
    with pytest.raises(InvalidState, match="no longer waiting"):
        services.booking.leave_waitlist(entry.id, actor=SYSTEM)
    assert len(services.audit.events(action="waitlist.leave")) == 1


def test_a_cancel_promotes_the_first_waiting_member_who_has_a_credit(services: Services) -> None:
    kind, coach = _gym(services)
    inside = _full(services, kind, coach)
    broke = _member(services, kind, "Bea", credits=0)  # first in line, no credit
    ana = _member(services, kind, "Ana")
    cid = _member(services, kind, "Cid")
    for member in (broke, ana, cid):
        _wait(services, member, kind, coach)
    outcome = services.booking.cancel(AppointmentId(inside[0].id), actor=SYSTEM)
    assert ana.id in outcome.changes.bookings
    assert ana.id in outcome.changes.credits
    roster = [a for a in services.booking.in_range(SLOT, END) if a.status == "booked"]
    assert sorted(a.member_name for a in roster) == ["Ana Ruiz", "In1 Ruiz"]
    assert open_credits(services, ana, kind) == 0  # her credit paid for the place
    assert _waiting(services, kind, coach) == ["Bea Ruiz", "Cid Ruiz"]  # Bea still waits
    [promoted] = services.booking.promotions()
    assert (promoted.member_name, promoted.status, promoted.starts_at) == (
        "Ana Ruiz",
        "promoted",
        SLOT,
    )
    assert promoted.appointment_id in {a.id for a in roster}
    [event] = services.audit.events(action="waitlist.promote")
    assert event.member_id == ana.id


def test_a_late_cancel_and_a_move_out_promote_too(services: Services, clock) -> None:
    kind, coach = _gym(services)
    inside = _full(services, kind, coach)
    ana, cid = _member(services, kind, "Ana"), _member(services, kind, "Cid")
    _wait(services, ana, kind, coach)
    _wait(services, cid, kind, coach)
    clock.current = SLOT - timedelta(hours=1)  # inside the 2-hour window
    late = services.booking.cancel(AppointmentId(inside[0].id), actor=SYSTEM).value
    assert late.late
    assert not late.credit_returned
    assert _waiting(services, kind, coach) == ["Cid Ruiz"]
    moved = services.booking.move(
        AppointmentId(inside[1].id), starts_at=SLOT + timedelta(days=1), actor=SYSTEM
    ).value
    assert [a.member_name for a in moved.promoted] == ["Cid Ruiz"]
    assert _waiting(services, kind, coach) == []
    assert [p.member_name for p in services.booking.promotions()] == ["Ana Ruiz", "Cid Ruiz"]


def test_nobody_is_promoted_into_a_session_that_has_started(services: Services, clock) -> None:
    kind, coach = _gym(services)
    inside = _full(services, kind, coach)
    _wait(services, _member(services, kind, "Ana"), kind, coach)
    clock.current = SLOT + timedelta(minutes=5)
    services.booking.cancel(AppointmentId(inside[0].id), actor=SYSTEM)
    assert _waiting(services, kind, coach) == ["Ana Ruiz"]
    assert services.booking.promotions() == []
