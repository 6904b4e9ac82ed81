"""A type's buffers, minimum notice and horizon; hours in a series and in a move.

The clock says Wednesday 4 March 2026, 10:00 in New York.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.services.calendar.recurrence import Repeat
from desk.services.container import Services
from desk.services.core.errors import (
    BookingRuleWarning,
    Clash,
    PermissionDenied,
    Unavailable,
    ValidationError,
)
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.people.availability_views import WeeklyRange
from tests.actors import SYSTEM, as_staff
from tests.services.factories import at_local, give_credits, make_staff, make_type


def _book(services: Services, member: int, kind: int, staff: int, start: datetime,
          **extra: object) -> int:  # fmt: skip
    return services.booking.book(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(staff), starts_at=start, **extra,  # type: ignore[arg-type]
    ).value.id  # fmt: skip


def test_buffers_count_for_clashes_both_ways(gym) -> None:
    services, member, kind, kim = gym
    services.appointment_types.set_booking_rules(kind, buffer_after_minutes=15, actor=SYSTEM)
    stretch = make_type(services, "Stretch", duration_minutes=30)
    give_credits(services, member, stretch, 5)
    services.appointment_types.set_booking_rules(stretch.id, buffer_before_minutes=30,
                                                 actor=SYSTEM)  # fmt: skip
    _book(services, member, kind, kim, at_local(2026, 3, 10, 10), actor=SYSTEM)  # to 11:00
    # PT's 15 minutes after: 11:00 is taken, 11:15 is free.
    with pytest.raises(Clash) as refused:
        _book(services, member, kind, kim, at_local(2026, 3, 10, 11), actor=SYSTEM)
    assert refused.value.free_slots[0].starts_at == at_local(2026, 3, 10, 11, 15)
    # Stretch's 30 minutes before must clear PT's buffer too: 11:45 at the earliest.
    with pytest.raises(Clash):
        _book(services, member, stretch.id, kim, at_local(2026, 3, 10, 11, 30), actor=SYSTEM)
    _book(services, member, stretch.id, kim, at_local(2026, 3, 10, 11, 45), actor=SYSTEM)
    # Before PT (no buffer before), Stretch ends right at PT's start:
    _book(services, member, stretch.id, kim, at_local(2026, 3, 10, 9, 30), actor=SYSTEM)


def test_minimum_notice_is_a_warning_only_an_owner_or_admin_may_override(gym) -> None:
    services, member, kind, kim = gym
    services.appointment_types.set_booking_rules(kind, min_notice_minutes=120, actor=SYSTEM)
    desk = make_staff(services, "Dee").id
    services.staff.update(StaffId(desk), name="Dee", role="front_desk", active=True,
                          actor=SYSTEM)  # fmt: skip
    owner = services.staff.create(name="Olive", role="owner", actor=SYSTEM).value.id
    soon = at_local(2026, 3, 4, 11)
    with pytest.raises(BookingRuleWarning) as refused:
        _book(services, member, kind, kim, soon, actor=as_staff(desk))
    assert not refused.value.may_override
    assert refused.value.message.startswith("PT needs 2 hours notice: this starts at 11:00.")
    with pytest.raises(PermissionDenied):
        _book(services, member, kind, kim, soon, override_reason="asked", actor=as_staff(desk))
    with pytest.raises(BookingRuleWarning) as warned:
        _book(services, member, kind, kim, soon, actor=as_staff(owner))
    assert warned.value.may_override
    with pytest.raises(ValidationError):
        _book(services, member, kind, kim, soon, override_reason="  ", actor=as_staff(owner))
    booked = _book(services, member, kind, kim, soon, override_reason="Coach agreed",
                   actor=as_staff(owner))  # fmt: skip
    (event,) = services.audit.events(action="appointment.book")
    assert event.entity_id == booked
    assert event.after is not None
    assert event.after["reason"] == "Coach agreed"
    assert event.after["overridden"].startswith("PT needs 2 hours notice")
    # After the notice, nobody is asked.
    _book(services, member, kind, kim, at_local(2026, 3, 4, 12), actor=as_staff(desk))


def test_the_horizon_is_a_warning_too_and_counts_the_last_occurrence_of_a_series(gym) -> None:
    services, member, kind, kim = gym
    services.appointment_types.set_booking_rules(kind, horizon_days=30, actor=SYSTEM)
    with pytest.raises(BookingRuleWarning) as refused:
        _book(services, member, kind, kim, at_local(2026, 4, 10, 10), actor=SYSTEM)
    assert "at most 30 days ahead; this is 37 days ahead" in refused.value.message
    _book(services, member, kind, kim, at_local(2026, 4, 3, 10), actor=SYSTEM)
    with pytest.raises(BookingRuleWarning):
        services.booking.book_series(
            member_id=member, appointment_type_id=kind, staff_id=kim,
            starts_at=at_local(2026, 3, 11, 10), repeat=Repeat(count=6), actor=SYSTEM,
        )  # fmt: skip
    result = services.booking.book_series(
        member_id=member, appointment_type_id=kind, staff_id=kim,
        starts_at=at_local(2026, 3, 11, 10), repeat=Repeat(count=6),
        override_reason="term booking", actor=SYSTEM,
    ).value  # fmt: skip
    assert len(result.booked) == 6


def test_a_series_skips_the_occurrences_outside_hours_and_says_why(gym) -> None:
    services, member, kind, kim = gym
    services.availability.set_weekly_hours(
        kim, [WeeklyRange(1, 9 * 60, 13 * 60), WeeklyRange(3, 9 * 60, 13 * 60)], actor=SYSTEM
    )
    services.availability.add_exception(
        kim, kind="off", starts_local=datetime(2026, 3, 19), ends_local=datetime(2026, 3, 20),
        note="Course", actor=SYSTEM,
    )  # fmt: skip
    plan = services.booking.plan_series(
        member_id=member, appointment_type_id=kind, staff_id=kim,
        starts_at=at_local(2026, 3, 10, 10), repeat=Repeat(weekdays=(1, 3, 4), count=6),
    )  # fmt: skip
    why = [(p.starts_at.astimezone(at_local(2026, 3, 1, 0).tzinfo).strftime("%a %d"),
            p.unavailable.kind if p.unavailable else None) for p in plan]  # fmt: skip
    assert why == [
        ("Tue 10", None), ("Thu 12", None), ("Fri 13", "hours"),
        ("Tue 17", None), ("Thu 19", "off"), ("Fri 20", "hours"),
    ]  # fmt: skip
    assert plan[4].conflict == "Kim is off 19 Mar (Course)."
    result = services.booking.book_series(
        member_id=member, appointment_type_id=kind, staff_id=kim,
        starts_at=at_local(2026, 3, 10, 10), repeat=Repeat(weekdays=(1, 3, 4), count=6),
        actor=SYSTEM,
    ).value  # fmt: skip
    assert len(result.booked) == 3
    assert len(result.skipped) == 3


def test_a_move_keeps_to_the_hours_and_offers_the_next_slots(gym) -> None:
    services, member, kind, kim = gym
    services.availability.set_weekly_hours(kim, [WeeklyRange(1, 9 * 60, 11 * 60)],
                                           actor=SYSTEM)  # fmt: skip
    appt = _book(services, member, kind, kim, at_local(2026, 3, 10, 9), actor=SYSTEM)
    with pytest.raises(Unavailable) as refused:
        services.booking.move(appt, starts_at=at_local(2026, 3, 10, 12), actor=SYSTEM)
    assert refused.value.moving_starts_at == at_local(2026, 3, 10, 12)
    assert refused.value.message == "Kim works 09:00-11:00 on Tuesdays."
    # The session being moved doesn't count against itself: its own 09:00 is offered next week
    # and its own slot's neighbours are free.
    assert [s.starts_at for s in refused.value.free_slots][:2] == [
        at_local(2026, 3, 17, 9),
        at_local(2026, 3, 17, 9, 15),
    ]
    moved = services.booking.move(appt, starts_at=at_local(2026, 3, 10, 10), actor=SYSTEM)
    assert moved.value.first.after.starts_at == at_local(2026, 3, 10, 10)
    sam = make_staff(services, "Sam").id
    services.availability.set_delivered_types(StaffId(sam), all_types=False, actor=SYSTEM)
    with pytest.raises(Unavailable) as not_theirs:
        services.booking.move(appt, starts_at=at_local(2026, 3, 10, 10), staff_id=StaffId(sam),
                              actor=SYSTEM)  # fmt: skip
    assert not_theirs.value.reason.kind == "type"


def test_rules_are_validated_and_read_back(gym) -> None:
    services, _member, kind, _kim = gym
    for bad in ({"buffer_before_minutes": -1}, {"horizon_days": 5000},
                {"min_notice_minutes": True}):  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.appointment_types.set_booking_rules(kind, **bad, actor=SYSTEM)
        assert refused.value.field == next(iter(bad))
    services.appointment_types.set_booking_rules(
        kind, buffer_before_minutes=5, buffer_after_minutes=10, min_notice_minutes=60,
        horizon_days=90, actor=SYSTEM,
    )  # fmt: skip
    rules = services.appointment_types.booking_rules(kind)
    assert (rules.buffer_before_minutes, rules.buffer_after_minutes) == (5, 10)
    assert (rules.min_notice_minutes, rules.horizon_days) == (60, 90)
