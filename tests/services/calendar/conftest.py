"""The series tests' small gym: a type, two coaches, a member."""

from __future__ import annotations

import pytest

from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.services.calendar.series_gym import Setup


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
