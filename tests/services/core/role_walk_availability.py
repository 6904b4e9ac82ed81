"""The role walk's lines for coaches' hours and types' booking rules (test_role_walk.py
merges them into its WRITES)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from desk.models import StaffRole
from desk.services.core.permissions import Permission
from desk.services.people.availability_views import WeeklyRange
from tests.actors import SYSTEM

Call = Callable[[Any, Any], Any]
STAFF = frozenset({Permission.MANAGE_STAFF})
SETTINGS = frozenset({Permission.SETTINGS})

AVAILABILITY_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "availability.set_weekly_hours": [(STAFF, lambda g, a: g.services
        .availability.set_weekly_hours(g.services.staff.create(name="Hours", actor=SYSTEM)
                                       .value.id, [WeeklyRange(1, 540, 780)], actor=a))],
    "availability.add_exception": [(STAFF, lambda g, a: g.services
        .availability.add_exception(g.staff[StaffRole.FRONT_DESK], kind="off",
                                    starts_local=datetime(2027, 1, 4), ends_local=datetime(
                                        2027, 1, 5), note=f"off {g.next_start():%j}", actor=a))],
    "availability.remove_exception": [(STAFF, lambda g, a: g.services
        .availability.remove_exception(g.services.availability.add_exception(
            g.staff[StaffRole.FRONT_DESK], kind="extra", starts_local=datetime(2027, 1, 6, 9),
            ends_local=datetime(2027, 1, 6, 12), actor=SYSTEM).value.id, actor=a))],
    "availability.set_delivered_types": [(STAFF, lambda g, a: g.services
        .availability.set_delivered_types(g.staff[StaffRole.FRONT_DESK],
                                          all_types=g.slot % 2 == 0, type_ids=[g.kind],
                                          actor=a))],
    "appointment_types.set_booking_rules": [(SETTINGS, lambda g, a: g.services
        .appointment_types.set_booking_rules(g.services.appointment_types.create(
            name=f"Rules {g.next_start():%j%H}", duration_minutes=30, actor=SYSTEM).value.id,
            buffer_after_minutes=10, actor=a))],
}  # fmt: skip
