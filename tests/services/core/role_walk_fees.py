"""Role walk lines for fees by policy (issue 18, item 4): setting a type's fees and
waiving a fee. ``test_role_walk`` adds these to its WRITES; each call gets the walk's
``Gym`` (a no-show of its type is charged a fee here, then waived)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.services.core.actor import Actor
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _fee(g: Any) -> int:
    """A fresh no-show fee on the walk's member (the type charges $5 for a no-show)."""
    g.services.appointment_types.set_fees(
        AppointmentTypeId(g.kind), no_show_fee_cents=500, actor=SYSTEM
    )
    g.services.booking.no_show(g.started_session(), actor=SYSTEM)
    fees = [f for f in g.services.fees.fees(MemberId(g.member)) if not f.waived]
    return int(fees[0].id)


FEE_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "appointment_types.set_fees": [
        (
            {Permission.SETTINGS},
            lambda g, a: g.services.appointment_types.set_fees(
                AppointmentTypeId(g.kind), late_cancel_fee_cents=100 * g.next_start().day,
                actor=a,
            ),
        )
    ],
    "fees.waive": [
        ({Permission.WAIVE_FEE},
         lambda g, a: g.services.fees.waive(_fee(g), reason="first", actor=a))
    ],
}  # fmt: skip
