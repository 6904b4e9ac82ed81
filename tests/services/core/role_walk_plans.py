"""Role-walk lines for forgiving (and plans' start and end), kept out of
test_role_walk.py, which is long enough: that test merges them into WRITES."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from desk.models import StaffRole
from desk.services.core.ids import AppointmentId
from desk.services.core.permissions import Permission
from desk.services.selling.plan_end import BookingsAtEnd, CreditsAtEnd
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


def _end_plan(g: Gym, a: Actor) -> Any:
    """A fresh member on the gym's plan from 1 March, ended on the 20th."""
    member = g.services.members.create(first_name="Ends", last_name=f"Plan {g.slot}", actor=SYSTEM)
    g.next_start()
    sub = g.services.sales.assign_plan(member_id=member.value.id, plan_id=g.plan,
                                       starts_on=date(2026, 3, 1), actor=SYSTEM).value  # fmt: skip
    return g.services.sales.end_plan(sub.id, ends_on=date(2026, 3, 20),
        credits=CreditsAtEnd.REFUND, bookings=BookingsAtEnd.CANCEL, actor=a)  # fmt: skip


PLAN_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "booking.forgive": [(frozenset({Permission.FORGIVE}), _forgive)],
    "sales.end_plan": [(frozenset({Permission.BILLING}), _end_plan)],
}
