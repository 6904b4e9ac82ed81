"""The role walk's lines for group sessions and the waitlist (test_role_walk.py merges
them into its WRITES)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from desk.models import StaffRole
from desk.services.calendar.recurrence import Repeat
from desk.services.core.actor import Actor
from desk.services.core.ids import AppointmentId, MemberId, StaffId
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _newcomer(g: Any) -> MemberId:
    return MemberId(g.services.members.create(
        first_name="Wait", last_name=f"Ing {g.slot}", actor=SYSTEM).value.id)  # fmt: skip


def _wait_for_full_session(g: Any, actor: Actor) -> Any:
    """A member joins the waitlist of a fresh full session of the coach's (capacity 1)."""
    full = g.services.booking.book(
        member_id=g.member, appointment_type_id=g.kind, staff_id=g.staff[StaffRole.COACH],
        starts_at=g.next_start() + timedelta(hours=8), actor=SYSTEM).value  # fmt: skip
    return g.services.booking.join_waitlist(
        member_id=_newcomer(g), appointment_type_id=g.kind, staff_id=StaffId(full.staff_id),
        starts_at=full.starts_at, ends_at=full.ends_at, actor=actor)  # fmt: skip


GROUP_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "booking.add_to_series": [
        (
            frozenset({Permission.BOOK}),
            lambda g, a: g.services.booking.add_to_series(
                AppointmentId(
                    g.services.booking.book_series(
                        member_id=g.member,
                        appointment_type_id=g.kind,
                        staff_id=g.staff[StaffRole.ADMIN],
                        starts_at=g.next_start() + timedelta(hours=9),
                        repeat=Repeat(count=2),
                        actor=SYSTEM,
                    )
                    .value.booked[0]
                    .id
                ),
                member_id=_newcomer(g),
                actor=a,
            ),
        )
    ],
    "booking.join_waitlist": [(frozenset({Permission.BOOK}), _wait_for_full_session)],
    "booking.leave_waitlist": [
        (
            frozenset({Permission.BOOK}),
            lambda g, a: g.services.booking.leave_waitlist(
                _wait_for_full_session(g, SYSTEM).value.id, actor=a
            ),
        )
    ],
}
