"""Who takes bookings: the flag on new staff, setting it, and its audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.db import Database
from desk.models import StaffMember
from desk.services.core.errors import NotFound, PermissionDenied
from desk.services.core.ids import StaffId
from tests.actors import SYSTEM, as_staff


def test_new_staff_take_bookings_unless_told_otherwise(services):
    kim = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    desk = services.staff.create(
        name="Robin Ames", role="front_desk", takes_bookings=False, actor=SYSTEM
    ).value
    assert kim.takes_bookings is True
    assert desk.takes_bookings is False
    listed = {s.id: s.takes_bookings for s in services.staff.list()}
    assert listed == {kim.id: True, desk.id: False}
    created = services.audit.events(action="staff.create")
    audited = {e.entity_id: e.after["takes_bookings"] for e in created if e.after}
    assert audited == {kim.id: True, desk.id: False}


def test_setting_the_flag_changes_it_and_is_audited_once(services):
    kim = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    off = services.staff.set_takes_bookings(StaffId(kim.id), False, actor=SYSTEM)
    assert off.value.takes_bookings is False
    assert off.changes.catalog
    assert services.staff.get(StaffId(kim.id)).takes_bookings is False
    # Idempotent: setting what is already set changes and records nothing.
    again = services.staff.set_takes_bookings(StaffId(kim.id), False, actor=SYSTEM)
    assert again.value.takes_bookings is False
    events = services.audit.events(action="staff.update")
    assert [(e.before, e.after) for e in events] == [
        ({"takes_bookings": True}, {"takes_bookings": False})
    ]
    services.staff.set_takes_bookings(StaffId(kim.id), True, actor=SYSTEM)
    assert services.staff.get(StaffId(kim.id)).takes_bookings is True
    assert len(services.audit.events(action="staff.update")) == 2


def test_update_can_change_the_flag_with_the_other_fields(services):
    kim = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    view = services.staff.update(
        StaffId(kim.id), name="Kim Alvarez-Ruiz", takes_bookings=False, actor=SYSTEM
    ).value
    assert (view.name, view.takes_bookings, view.active) == ("Kim Alvarez-Ruiz", False, True)


def test_setting_the_flag_of_nobody_or_without_permission_is_refused(services):
    kim = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    desk = services.staff.create(name="Robin Ames", role="front_desk", actor=SYSTEM).value
    with pytest.raises(NotFound):
        services.staff.set_takes_bookings(StaffId(9999), True, actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.staff.set_takes_bookings(StaffId(kim.id), False, actor=as_staff(desk.id))
    assert services.staff.get(StaffId(kim.id)).takes_bookings is True


def test_the_column_defaults_to_true_in_the_database(services, database: Database):
    kim = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    with database.write() as session:
        session.execute(StaffMember.__table__.insert().values(name="Raw Row", role="coach"))
    with database.read() as session:
        rows = dict(session.execute(select(StaffMember.name, StaffMember.takes_bookings)).all())
    assert rows == {"Kim Alvarez": True, "Raw Row": True}
    assert kim.takes_bookings
