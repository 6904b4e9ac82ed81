"""Role-walk lines for forgiving (and plans' start and end), kept out of
test_role_walk.py, which is long enough: that test merges them into WRITES."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from desk.models import StaffRole
from desk.services.core.ids import AppointmentId
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM
from tests.services.factories import at_local

if TYPE_CHECKING:
    from desk.services.core.actor import Actor
    from tests.services.core.test_role_walk import Call, Gym


def _fresh_no_show(g: Gym) -> AppointmentId:
    """A past session of the admin's marked a no-show: one per call of a walk line."""
    g.next_start()  # moves g.slot on
    appt = g.services.booking.book(
        member_id=g.member, appointment_type_id=g.kind, staff_id=g.staff[StaffRole.ADMIN],
        starts_at=at_local(2026, 3, 4, 5) - timedelta(days=g.slot), allow_past=True,
        actor=SYSTEM,
    ).value  # fmt: skip
    g.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    return AppointmentId(appt.id)


def _forgive(g: Gym, a: Actor) -> Any:
    return g.services.booking.forgive(_fresh_no_show(g), reason="child was ill", actor=a)


PLAN_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "booking.forgive": [(frozenset({Permission.FORGIVE}), _forgive)],
}
