"""Group sessions: a type's capacity, members sharing one session, each with their own
credit and status; a weekly group booking and a series' standing roster."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.models import AppointmentStatus
from desk.services.calendar.recurrence import Repeat
from desk.services.container import Services
from desk.services.core.errors import (
    Clash,
    Conflict,
    InvalidState,
    SessionFull,
    ValidationError,
)
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentTypeView, StaffView
from tests.actors import SYSTEM
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_staff,
    member_with_credits,
    open_credits,
)

SLOT = at_local(2026, 3, 10, 18)


def group_type(services: Services, capacity: int = 4) -> AppointmentTypeView:
    return services.appointment_types.create(
        name="Small Group PT", duration_minutes=60, capacity=capacity, late_cancel_hours=2,
        actor=SYSTEM,
    ).value  # fmt: skip


def members(services: Services, kind: AppointmentTypeView, n: int, credits: int = 2):
    return [
        member_with_credits(services, kind, credits, first_name=f"M{i}", last_name="Group")
        for i in range(n)
    ]


def test_a_type_has_a_capacity_of_one_unless_told(services: Services) -> None:
    plain = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM)
    assert plain.value.capacity == 1
    assert not plain.value.is_group
    group = group_type(services)
    assert group.capacity == 4
    assert group.is_group
    changed = services.appointment_types.update(
        AppointmentTypeId(group.id), capacity=6, actor=SYSTEM
    ).value
    assert (
        services.appointment_types.get(AppointmentTypeId(group.id)).capacity
        == 6
        == changed.capacity
    )
    [event] = services.audit.events(action="appointment_type.update")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["capacity"], event.after["capacity"]) == (4, 6)
    for bad in (0, 51, -1):
        with pytest.raises(ValidationError) as refused:
            services.appointment_types.update(
                AppointmentTypeId(group.id), capacity=bad, actor=SYSTEM
            )
        assert refused.value.field == "capacity"


def test_members_join_a_session_with_room_each_paying_with_their_own_credit(
    services: Services,
) -> None:
    kind = group_type(services)
    coach = make_staff(services, "Kim")
    people = members(services, kind, 5)
    booked = [book(services, m, kind, coach, SLOT, allow_past=False) for m in people[:4]]
    assert {b.starts_at for b in booked} == {SLOT}
    assert len({b.lot_id for b in booked}) == 4  # each from their own lot
    for member in people[:4]:
        assert open_credits(services, member, kind) == 1
    with pytest.raises(SessionFull) as full:
        book(services, people[4], kind, coach, SLOT, allow_past=False)
    assert "full (4 of 4)" in full.value.message
    assert (full.value.staff_id, full.value.starts_at) == (coach.id, SLOT)
    assert open_credits(services, people[4], kind) == 2  # nothing was taken


def test_a_member_is_in_a_session_once_and_other_times_still_clash(services: Services) -> None:
    kind = group_type(services)
    coach = make_staff(services, "Kim")
    ann, bob = members(services, kind, 2)
    book(services, ann, kind, coach, SLOT)
    with pytest.raises(Conflict) as twice:
        book(services, ann, kind, coach, SLOT)
    assert "already booked into this Small Group PT session" in twice.value.message
    with pytest.raises(Clash):  # half an hour later is not the same session
        book(services, bob, kind, coach, SLOT + timedelta(minutes=30))
    other = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    give_credits(services, bob, other, 1)
    with pytest.raises(Clash):  # another type at the same time is not the session either
        book(services, bob, other, coach, SLOT)


def test_a_one_to_one_type_still_clashes_at_the_same_time(services: Services) -> None:
    kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    coach = make_staff(services, "Kim")
    ann, bob = members(services, kind, 2)
    book(services, ann, kind, coach, SLOT)
    with pytest.raises(Clash):
        book(services, bob, kind, coach, SLOT)


def test_each_member_is_checked_in_no_show_or_cancelled_on_their_own(
    services: Services, clock
) -> None:
    kind = group_type(services)
    coach = make_staff(services, "Kim")
    start = at_local(2026, 3, 4, 10, 30)  # today, check-in opens; the clock says 10:00
    ann, bob, cat, dan = members(services, kind, 4)
    a, b, c, d = (book(services, m, kind, coach, start) for m in (ann, bob, cat, dan))
    services.booking.check_in(AppointmentId(a.id), actor=SYSTEM)
    services.booking.cancel(AppointmentId(c.id), actor=SYSTEM)  # late: 2 h window
    clock.current += timedelta(hours=1)
    services.booking.no_show(AppointmentId(b.id), actor=SYSTEM)
    statuses = [services.booking.get(AppointmentId(x.id)).status for x in (a, b, c, d)]
    assert statuses == [
        AppointmentStatus.ATTENDED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.LATE_CANCELLED,
        AppointmentStatus.BOOKED,
    ]
    assert open_credits(services, dan, kind) == 1  # the others' changes took nothing of Dan's


def _weekly(services: Services, member, kind, coach: StaffView, count: int = 4):
    return services.booking.book_series(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=StaffId(coach.id), starts_at=SLOT, repeat=Repeat(count=count), actor=SYSTEM,
    ).value  # fmt: skip


def test_a_weekly_group_booking_books_every_occurrence_with_room(services: Services) -> None:
    kind = group_type(services, capacity=2)
    coach = make_staff(services, "Kim")
    ann, bob, cat = members(services, kind, 3, credits=8)
    book(services, ann, kind, coach, SLOT + timedelta(days=7))
    book(services, bob, kind, coach, SLOT + timedelta(days=7))  # week 2 is full
    first = _weekly(services, ann, kind, coach)
    assert len(first.booked) == 3
    assert len(first.skipped) == 1
    second = _weekly(services, cat, kind, coach)
    assert [b.starts_at for b in second.booked] == [
        SLOT,
        SLOT + timedelta(days=14),
        SLOT + timedelta(days=21),
    ]
    [full] = second.skipped
    assert full.starts_at == SLOT + timedelta(days=7)
    assert "is full" in (full.conflict or "")


def test_adding_a_member_to_a_series_books_the_following_occurrences_with_room(
    services: Services,
) -> None:
    kind = group_type(services, capacity=2)
    coach = make_staff(services, "Kim")
    ann, bob, cat = members(services, kind, 3, credits=8)
    series = _weekly(services, ann, kind, coach)
    book(services, bob, kind, coach, SLOT + timedelta(days=14))  # week 3 is now full
    added = services.booking.add_to_series(
        AppointmentId(series.booked[1].id), member_id=MemberId(cat.id), actor=SYSTEM
    )
    value = added.value
    assert [b.starts_at for b in value.booked] == [
        SLOT + timedelta(days=7),
        SLOT + timedelta(days=21),
    ]
    assert [s.starts_at for s in value.skipped] == [SLOT + timedelta(days=14)]
    assert {b.series_id for b in value.booked} == {value.series_id} != {series.series_id}
    assert open_credits(services, cat, kind) == 6
    assert added.changes.bookings == {cat.id}
    lone = book(services, ann, kind, coach, SLOT + timedelta(days=40))
    with pytest.raises(InvalidState, match="not part of a repeating booking"):
        services.booking.add_to_series(
            AppointmentId(lone.id), member_id=MemberId(bob.id), actor=SYSTEM
        )
