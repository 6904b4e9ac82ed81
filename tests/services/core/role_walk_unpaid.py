"""Role walk lines for book now, pay later (issue 18, item 3): the setting that lets the
front desk book unpaid, and booking unpaid itself (a second walk of ``booking.book``
for a member with no credit: owner and admin only while the setting is off).

``test_role_walk`` adds these to its WRITES; each call gets the walk's ``Gym``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.models import StaffRole
from desk.services.core.actor import Actor
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _book_unpaid(g: Any, a: Actor) -> Any:
    broke = g.services.members.create(
        first_name="Owes", last_name=f"Credit {g.next_start():%j%H}", actor=SYSTEM
    ).value
    return g.services.booking.book(
        member_id=MemberId(broke.id), appointment_type_id=AppointmentTypeId(g.kind),
        staff_id=StaffId(g.staff[StaffRole.COACH]), starts_at=g.next_start(), unpaid=True,
        actor=a,
    )  # fmt: skip


UNPAID_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "unpaid.set_front_desk_books_unpaid": [(frozenset({Permission.SETTINGS}), lambda g, a: g
        .services.unpaid.set_front_desk_books_unpaid(False, actor=a))],
}  # fmt: skip
UNPAID_ALSO: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "booking.book": [(frozenset({Permission.BOOK, Permission.BOOK_UNPAID}), _book_unpaid)],
}
"""More walks of methods WRITES already has (appended to theirs)."""
