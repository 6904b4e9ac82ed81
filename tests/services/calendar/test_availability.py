"""Coaches' hours: weekly ranges, time off, extra shifts, the types they deliver.

The clock says Wednesday 4 March 2026, 10:00 in New York (summer time starts
on Sunday 8 March, ends on Sunday 1 November).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.services.container import Services
from desk.services.core.errors import Unavailable, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.people.availability_views import WeeklyRange
from tests.actors import SYSTEM
from tests.services.factories import at_local, make_staff, make_type

TUESDAY, SATURDAY = 1, 5


def _book(gym: tuple[Services, MemberId, AppointmentTypeId, StaffId], start: datetime,
          staff: StaffId | None = None) -> int:  # fmt: skip
    services, member, kind, kim = gym
    return services.booking.book(
        member_id=member, appointment_type_id=kind, staff_id=staff or kim, starts_at=start,
        actor=SYSTEM,
    ).value.id  # fmt: skip


def _tuesday_mornings(services: Services, staff: StaffId) -> None:
    services.availability.set_weekly_hours(
        staff, [WeeklyRange(TUESDAY, 9 * 60, 13 * 60)], actor=SYSTEM
    )


def test_a_coach_without_hours_is_available_any_time(gym) -> None:
    services, _member, _kind, kim = gym
    assert not services.availability.hours(kim).keeps_hours
    _book(gym, at_local(2026, 3, 8, 3))  # a Sunday, 03:00


def test_outside_the_weekly_hours_is_refused_in_local_time_with_the_next_five_slots(gym) -> None:
    services, _member, _kind, kim = gym
    _tuesday_mornings(services, kim)
    _book(gym, at_local(2026, 3, 10, 9))
    _book(gym, at_local(2026, 3, 10, 12))  # ends 13:00, the end of the range
    with pytest.raises(Unavailable) as refused:
        _book(gym, at_local(2026, 3, 10, 12, 30))
    assert refused.value.message == "Kim works 09:00-13:00 on Tuesdays."
    assert refused.value.reason.kind == "hours"
    assert refused.value.reason.hours == ((540, 780),)
    with pytest.raises(Unavailable) as wednesday:
        _book(gym, at_local(2026, 3, 11, 10))
    assert wednesday.value.message == "Kim doesn't work on Wednesdays."
    # The next free times after 12:30 on the 10th: the next Tuesday morning.
    assert [s.starts_at for s in refused.value.free_slots] == [
        at_local(2026, 3, 17, 9),
        at_local(2026, 3, 17, 9, 15),
        at_local(2026, 3, 17, 9, 30),
        at_local(2026, 3, 17, 9, 45),
        at_local(2026, 3, 17, 10),
    ]
    assert {s.staff_name for s in refused.value.free_slots} == {"Kim"}


def test_hours_are_wall_clock_times_across_summer_time(gym) -> None:
    services, _member, _kind, kim = gym
    _tuesday_mornings(services, kim)
    before = at_local(2026, 10, 27, 9)
    after = at_local(2026, 11, 3, 9)
    # the clocks went back between
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=7, hours=1)
    _book(gym, before)
    _book(gym, after)
    with pytest.raises(Unavailable):
        _book(gym, at_local(2026, 11, 3, 8))


def test_time_off_is_refused_with_its_dates_and_note(gym) -> None:
    services, _member, _kind, kim = gym
    _tuesday_mornings(services, kim)
    services.availability.add_exception(
        kim, kind="off", starts_local=datetime(2026, 3, 17), ends_local=datetime(2026, 3, 20),
        note="Holiday", actor=SYSTEM,
    )  # fmt: skip
    with pytest.raises(Unavailable) as refused:
        _book(gym, at_local(2026, 3, 17, 10))
    assert refused.value.message == "Kim is off 17-19 Mar (Holiday)."
    assert refused.value.reason.kind == "off"
    assert refused.value.free_slots[0].starts_at == at_local(2026, 3, 24, 9)


def test_an_afternoon_off_without_hours_set(gym) -> None:
    services, _member, _kind, kim = gym
    services.availability.add_exception(
        kim, kind="off", starts_local=datetime(2026, 3, 12, 14),
        ends_local=datetime(2026, 3, 12, 17), actor=SYSTEM,
    )  # fmt: skip
    _book(gym, at_local(2026, 3, 12, 13))
    with pytest.raises(Unavailable) as refused:
        _book(gym, at_local(2026, 3, 12, 16, 30))
    assert refused.value.message == "Kim is off 14:00-17:00 on 12 Mar."
    assert refused.value.free_slots[0].starts_at == at_local(2026, 3, 12, 17)


def test_an_extra_shift_adds_to_the_weekly_hours_and_can_be_removed(gym) -> None:
    services, _member, _kind, kim = gym
    _tuesday_mornings(services, kim)
    extra = services.availability.add_exception(
        kim, kind="extra", starts_local=datetime(2026, 3, 14, 10),
        ends_local=datetime(2026, 3, 14, 12), actor=SYSTEM,
    ).value  # fmt: skip
    _book(gym, at_local(2026, 3, 14, 10))
    with pytest.raises(Unavailable):
        _book(gym, at_local(2026, 3, 14, 11, 30))
    services.availability.remove_exception(extra.id, actor=SYSTEM)
    assert services.availability.hours(kim).exceptions == ()
    with pytest.raises(Unavailable):
        _book(gym, at_local(2026, 3, 21, 10))


def test_a_coach_who_does_not_deliver_the_type_is_refused_and_left_out_of_find_a_time(
    gym,
) -> None:
    services, _member, kind, _kim = gym
    other = make_type(services, "Yoga")
    sam = StaffId(make_staff(services, "Sam").id)
    services.availability.set_delivered_types(sam, all_types=False, type_ids=[other.id],
                                              actor=SYSTEM)  # fmt: skip
    with pytest.raises(Unavailable) as refused:
        _book(gym, at_local(2026, 3, 10, 9), staff=sam)
    assert refused.value.message == "Sam doesn't deliver PT."
    assert refused.value.free_slots == ()
    slots = services.availability.find_free_slots(
        kind, at_local(2026, 3, 10, 9), at_local(2026, 3, 10, 10), limit=20
    )
    assert {s.staff_name for s in slots} == {"Kim"}
    services.availability.set_delivered_types(sam, all_types=True, actor=SYSTEM)
    _book(gym, at_local(2026, 3, 10, 9), staff=sam)


def test_find_a_time_lists_free_slots_across_coaches_soonest_first(gym) -> None:
    services, _member, kind, kim = gym
    sam = StaffId(make_staff(services, "Sam").id)
    _tuesday_mornings(services, kim)
    services.availability.set_weekly_hours(
        sam, [WeeklyRange(TUESDAY, 10 * 60, 12 * 60)], actor=SYSTEM
    )
    _book(gym, at_local(2026, 3, 10, 9, 30))
    slots = services.availability.find_free_slots(
        kind, at_local(2026, 3, 10, 0), at_local(2026, 3, 11, 0), limit=6
    )
    assert [(s.starts_at.astimezone(at_local(2026, 3, 10, 0).tzinfo).strftime("%H:%M"),
             s.staff_name) for s in slots] == [
        ("10:00", "Sam"), ("10:15", "Sam"), ("10:30", "Kim"), ("10:30", "Sam"),
        ("10:45", "Kim"), ("10:45", "Sam"),
    ]  # fmt: skip
    mine = services.availability.find_free_slots(
        kind, at_local(2026, 3, 10, 0), at_local(2026, 3, 11, 0), staff_id=kim, limit=50
    )
    assert {s.staff_name for s in mine} == {"Kim"}
    assert mine[0].starts_at == at_local(2026, 3, 10, 10, 30)
    assert mine[-1].starts_at == at_local(2026, 3, 10, 12)


def test_find_a_time_starts_after_now_and_the_notice(gym) -> None:
    services, _member, kind, _kim = gym
    services.appointment_types.set_booking_rules(kind, min_notice_minutes=120, actor=SYSTEM)
    slots = services.availability.find_free_slots(
        kind, at_local(2026, 3, 4, 0), at_local(2026, 3, 5, 0), limit=1
    )
    assert slots[0].starts_at == at_local(2026, 3, 4, 12)


def test_weekly_hours_are_replaced_and_validated(gym) -> None:
    services, _member, _kind, kim = gym
    _tuesday_mornings(services, kim)
    services.availability.set_weekly_hours(
        kim, [WeeklyRange(0, 14 * 60, 18 * 60), WeeklyRange(0, 8 * 60, 12 * 60)], actor=SYSTEM
    )
    assert services.availability.hours(kim).weekly == (
        WeeklyRange(0, 480, 720),
        WeeklyRange(0, 840, 1080),
    )
    for bad in ([WeeklyRange(0, 600, 540)], [WeeklyRange(7, 0, 60)],
                [WeeklyRange(2, 540, 720), WeeklyRange(2, 700, 800)]):  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.availability.set_weekly_hours(kim, bad, actor=SYSTEM)
        assert refused.value.field == "hours"
    with pytest.raises(ValidationError):
        services.availability.add_exception(
            kim, kind="off", starts_local=datetime(2026, 3, 5), ends_local=datetime(2026, 3, 4),
            actor=SYSTEM,
        )  # fmt: skip
    services.availability.set_weekly_hours(kim, [], actor=SYSTEM)
    assert not services.availability.hours(kim).keeps_hours


def test_the_calendar_reads_working_time_and_time_off(gym) -> None:
    services, _member, _kind, kim = gym
    _tuesday_mornings(services, kim)
    services.availability.add_exception(
        kim, kind="off", starts_local=datetime(2026, 3, 10, 11),
        ends_local=datetime(2026, 3, 10, 12), note="Dentist", actor=SYSTEM,
    )  # fmt: skip
    (days,) = services.availability.for_calendar(
        at_local(2026, 3, 9, 0).date(), at_local(2026, 3, 15, 0).date(), [kim]
    )
    assert days.keeps_hours
    assert days.windows == (
        (at_local(2026, 3, 10, 9), at_local(2026, 3, 10, 11)),
        (at_local(2026, 3, 10, 12), at_local(2026, 3, 10, 13)),
    )
    assert [(b.starts_at, b.note) for b in days.time_off] == [
        (at_local(2026, 3, 10, 11), "Dentist")
    ]


def test_hours_changes_are_audited(gym) -> None:
    services, _member, _kind, kim = gym
    _tuesday_mornings(services, kim)
    (event,) = services.audit.events(action="staff.hours")
    assert event.entity_id == kim
    assert event.after == {"hours": ["1:540-780"]}
