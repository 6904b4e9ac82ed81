"""The series tests' small gym: a type, two coaches, a member."""

from __future__ import annotations

import pytest

from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.services.calendar.series_gym import Setup
from tests.services.factories import give_credits, make_member, make_staff, make_type


@pytest.fixture
def setup(services: Services) -> Setup:
    """(services, Ann, the PT type, coach Kim, coach Sam)."""
    kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    other = services.staff.create(name="Sam", role="coach", actor=SYSTEM).value
    member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    return (
        services,
        MemberId(member.id),
        AppointmentTypeId(kind.id),
        StaffId(coach.id),
        StaffId(other.id),
    )


@pytest.fixture
def gym(services: Services) -> tuple[Services, MemberId, AppointmentTypeId, StaffId]:
    """The hours tests' gym: (services, Ann with 50 PT credits, PT of 60 minutes, Kim)."""
    kind = make_type(services, "PT", duration_minutes=60)
    member = make_member(services)
    give_credits(services, member, kind, 50)
    kim = make_staff(services, "Kim")
    return services, MemberId(member.id), AppointmentTypeId(kind.id), StaffId(kim.id)
