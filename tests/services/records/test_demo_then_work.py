"""A demo gym is a gym to work in: the first booking, sale and new member after it
get ids of their own on both backends (PostgreSQL's sequences move past the demo's)."""

from __future__ import annotations

from datetime import timedelta

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.records.demo import DemoGenerator
from tests.actors import SYSTEM
from tests.services.factories import at_local


def test_after_a_demo_the_desk_books_adds_credits_and_members(services, database, clock):
    DemoGenerator(database, clock).generate(members=30, seed=3)
    coach = next(s for s in services.staff.list() if s.role == "coach")
    kind = services.appointment_types.list()[0]
    member = services.members.create(first_name="New", last_name="Member", actor=SYSTEM).value
    lot = services.credits.add_credits(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
        quantity=2, expires_on=None, actor=SYSTEM,
    ).value  # fmt: skip
    # Demo coaches keep hours: the first free time of theirs that Monday.
    (slot,) = services.availability.find_free_slots(
        AppointmentTypeId(kind.id), at_local(2027, 1, 4, 0), at_local(2027, 1, 5, 0),
        staff_id=StaffId(coach.id), limit=1,
    )  # fmt: skip
    booked = services.booking.book(
        member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=StaffId(coach.id), starts_at=slot.starts_at + timedelta(minutes=7),
        actor=SYSTEM,
    ).value  # fmt: skip
    assert booked.lot_id == lot.id
    assert member.id > 30
