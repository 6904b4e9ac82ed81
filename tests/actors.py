"""Who the tests act as: the system actor, or a staff member by id."""

from __future__ import annotations

from desk.services.core.actor import Actor
from desk.services.core.ids import StaffId

SYSTEM = Actor.system("tests")


def as_staff(staff_id: int | None) -> Actor:
    """The staff member ``staff_id`` as an actor (the system for None)."""
    return SYSTEM if staff_id is None else Actor.staff(StaffId(staff_id))
