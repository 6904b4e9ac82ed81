"""Role walk lines for the later life of credits and members (issue 18, items 7 and 9):
changing expiry dates, transferring credits, merging duplicate members.

``test_role_walk`` adds these to its WRITES; each call gets the walk's ``Gym``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from desk.services.core.actor import Actor
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.permissions import Permission
from desk.services.credits.lot_changes import ExpiryFilter, ExpiryShift
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _someone(g: Any) -> MemberId:
    return MemberId(
        g.services.members.create(
            first_name="Dup", last_name=f"Record {g.next_start():%j}", actor=SYSTEM
        ).value.id
    )


def _dated_lot(g: Any) -> int:
    return int(
        g.services.credits.add_credits(
            member_id=g.member,
            appointment_type_id=AppointmentTypeId(g.kind),
            quantity=1,
            expires_on=date(2026, 12, 31),
            actor=SYSTEM,
        ).value.id
    )


def _change_all(g: Any, a: Actor) -> Any:
    _dated_lot(g)
    return g.services.lot_changes.change_expiries(
        ExpiryFilter(date(2026, 12, 1), date(2027, 12, 31)), ExpiryShift(days=1), actor=a
    )


def _merge(g: Any, a: Actor) -> Any:
    dup, keep = _someone(g), _someone(g)
    return g.services.merges.merge(dup, into_member_id=keep, reason="imported twice", actor=a)


CREDIT_LIFE_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "lot_changes.change_expiry": [
        (
            {Permission.ADJUST_CREDITS},
            lambda g, a: g.services.lot_changes.change_expiry(
                g.lot, expires_on=g.next_start().date(), actor=a
            ),
        )
    ],
    "lot_changes.change_expiries": [({Permission.ADJUST_CREDITS}, _change_all)],
    "lot_changes.transfer": [
        (
            {Permission.ADJUST_CREDITS},
            lambda g, a: g.services.lot_changes.transfer(
                g.lot, to_member_id=_someone(g), quantity=1, reason="gift", actor=a
            ),
        )
    ],
    "merges.merge": [({Permission.MERGE_MEMBERS}, _merge)],
}
