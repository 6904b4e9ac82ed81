"""Appointment types and staff: names, validation, deactivation."""

from __future__ import annotations

import pytest

from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, StaffId
from tests.actors import SYSTEM, as_staff


@pytest.mark.parametrize("second", ["ästhetik", "Ästhetik", "ÄSTHETIK", "  ästhetik "])
def test_type_names_are_unique_ignoring_case_in_any_script(services, second):
    services.appointment_types.create(name="Ästhetik", duration_minutes=30, actor=SYSTEM)
    with pytest.raises(ValidationError) as info:
        services.appointment_types.create(name=second, duration_minutes=30, actor=SYSTEM)
    assert info.value.field == "name"
    assert len(services.appointment_types.list()) == 1


def test_rename_onto_another_name_is_refused(services):
    services.appointment_types.create(name="Yoga", duration_minutes=60, actor=SYSTEM)
    pilates = services.appointment_types.create(
        name="Pilates", duration_minutes=60, actor=SYSTEM
    ).value
    with pytest.raises(ValidationError):
        services.appointment_types.update(AppointmentTypeId(pilates.id), name="YOGA", actor=SYSTEM)
    renamed = services.appointment_types.update(
        AppointmentTypeId(pilates.id), name="pilates", actor=SYSTEM
    )
    assert renamed.value.name == "pilates"


def test_by_name_folds_case_and_lists_known_types_when_missing(services):
    services.appointment_types.create(name="Zoë's Stretch", duration_minutes=30, actor=SYSTEM)
    assert services.appointment_types.by_name("ZOË'S STRETCH").name == "Zoë's Stretch"
    with pytest.raises(NotFound, match="Known types: Zoë's Stretch"):
        services.appointment_types.by_name("Boxing")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "", "duration_minutes": 30}, "name"),
        ({"name": "X", "duration_minutes": 0}, "duration_minutes"),
        ({"name": "X", "duration_minutes": 721}, "duration_minutes"),
        ({"name": "X", "duration_minutes": 30, "color": "red"}, "color"),
        ({"name": "X", "duration_minutes": 30, "default_price_cents": -1}, "default_price_cents"),
        ({"name": "X", "duration_minutes": 30, "late_cancel_hours": -2}, "late_cancel_hours"),
    ],
)
def test_type_validation_names_the_field(services, values, field):
    with pytest.raises(ValidationError) as info:
        services.appointment_types.create(**values, actor=SYSTEM)
    assert info.value.field == field
    assert services.appointment_types.list(include_inactive=True) == []


def test_deactivated_types_and_staff_leave_the_default_lists(services):
    kind = services.appointment_types.create(name="Spin", duration_minutes=45, actor=SYSTEM).value
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    services.appointment_types.deactivate(AppointmentTypeId(kind.id), actor=SYSTEM)
    services.staff.deactivate(StaffId(coach.id), actor=SYSTEM)
    assert services.appointment_types.list() == []
    assert [t.name for t in services.appointment_types.list(include_inactive=True)] == ["Spin"]
    assert services.staff.list() == []
    assert [s.name for s in services.staff.list(include_inactive=True)] == ["Kim"]


def test_unknown_staff_role_is_refused(services):
    with pytest.raises(ValidationError) as info:
        services.staff.create(name="Sam", role="janitor", actor=SYSTEM)
    assert info.value.field == "role"


def test_settings_changes_are_audited_as_the_fields_that_changed(services) -> None:
    """Types and staff, like members: each update names what changed, old and new."""
    owner = services.staff.create(name="Dana", role="admin", actor=SYSTEM).value
    pt = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    services.appointment_types.update(
        AppointmentTypeId(pt.id), default_price_cents=95_00, actor=as_staff(StaffId(owner.id))
    )
    services.appointment_types.update(
        AppointmentTypeId(pt.id), default_price_cents=95_00, actor=SYSTEM
    )
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    services.staff.update(StaffId(coach.id), name="Kim Alvarez", actor=as_staff(StaffId(owner.id)))
    services.staff.update(
        StaffId(coach.id), name="Kim Alvarez", actor=SYSTEM
    )  # no change, no event

    (type_update,) = services.audit.events(action="appointment_type.update")
    assert type_update.before == {"default_price_cents": 0}
    assert type_update.after == {"default_price_cents": 95_00}
    assert type_update.actor == "Dana"
    (staff_update,) = services.audit.events(action="staff.update")
    assert staff_update.before == {"name": "Kim"}
    assert staff_update.after == {"name": "Kim Alvarez"}
