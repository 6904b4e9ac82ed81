"""Group sessions under the coaches' hours and the types' buffers: one check for both."""

from __future__ import annotations

import pytest

from desk.services.core.errors import Clash, Unavailable
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.people.availability_views import WeeklyRange
from tests.actors import SYSTEM
from tests.services.factories import at_local, give_credits, make_member, make_staff

TUESDAY = 1


@pytest.fixture
def group(services):
    kind = services.appointment_types.create(
        name="Small Group PT", duration_minutes=60, capacity=3, actor=SYSTEM
    ).value
    services.appointment_types.set_booking_rules(
        kind.id, buffer_before_minutes=15, buffer_after_minutes=15, actor=SYSTEM
    )
    coach = make_staff(services, "Kim Alvarez")
    services.availability.set_weekly_hours(
        StaffId(coach.id), [WeeklyRange(TUESDAY, 9 * 60, 13 * 60)], actor=SYSTEM
    )
    members = []
    for name in ("Ann", "Bob", "Cy"):
        member = make_member(services, name, "Member")
        give_credits(services, member, kind, 2)
        members.append(MemberId(member.id))
    return services, AppointmentTypeId(kind.id), StaffId(coach.id), members


def _book(services, member, kind, coach, starts_at):
    return services.booking.book(
        member_id=member, appointment_type_id=kind, staff_id=coach, starts_at=starts_at,
        actor=SYSTEM,
    ).value  # fmt: skip


def test_members_join_one_group_session_whatever_its_buffers(group):
    services, kind, coach, (ann, bob, cy) = group
    ten = at_local(2026, 3, 10, 10)  # a Tuesday, inside 09:00-13:00
    first = _book(services, ann, kind, coach, ten)
    second = _book(services, bob, kind, coach, ten)  # the session's own buffers are no clash
    assert (first.starts_at, first.ends_at) == (second.starts_at, second.ends_at)
    # Another session of the coach's 10 minutes after it ends meets its 15-minute buffer.
    with pytest.raises(Clash):
        _book(services, cy, kind, coach, at_local(2026, 3, 10, 11, 10))


def test_a_group_session_outside_the_coachs_hours_is_refused(group):
    services, kind, coach, (ann, _bob, _cy) = group
    with pytest.raises(Unavailable, match="works 09:00-13:00 on Tuesdays"):
        _book(services, ann, kind, coach, at_local(2026, 3, 10, 14))


def test_a_series_into_a_group_counts_hours_and_places(group):
    services, kind, coach, (ann, bob, _cy) = group
    plans = services.booking.plan_series(
        member_id=ann, appointment_type_id=kind, staff_id=coach,
        starts_at=at_local(2026, 3, 10, 12, 30),
        repeat=None,
    )  # fmt: skip
    # 12:30-13:30 runs past 13:00: refused for the hours, not booked into anything.
    assert [p.unavailable is not None for p in plans] == [True]
    _book(services, bob, kind, coach, at_local(2026, 3, 10, 9, 15))
    plans = services.booking.plan_series(
        member_id=ann, appointment_type_id=kind, staff_id=coach,
        starts_at=at_local(2026, 3, 10, 9, 15), repeat=None,
    )  # fmt: skip
    assert [p.bookable for p in plans] == [True]  # joins Bob's session
