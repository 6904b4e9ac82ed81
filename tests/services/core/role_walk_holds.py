"""Role walk lines for holds (issue 18, item 5): placing, ending early, cancelling.

``test_role_walk`` adds these to its WRITES; each call gets the walk's ``Gym`` and a
member of its own, so no hold is in another's way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from desk.services.core.actor import Actor
from desk.services.core.clock import today
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _held(g: Any, *, from_days: int, actor: Actor = SYSTEM) -> Any:
    member = MemberId(
        g.services.members.create(
            first_name="Held", last_name=f"Member {g.next_start():%j}", actor=SYSTEM
        ).value.id
    )
    first = today(g.services.clock) + timedelta(days=from_days)
    return g.services.holds.place_hold(
        member, starts_on=first, ends_on=first + timedelta(days=3), reason="injury", actor=actor
    )


def _end(g: Any, a: Actor) -> Any:
    hold = _held(g, from_days=0).value.hold
    return g.services.holds.end_hold_early(
        hold.id, back_on=hold.starts_on + timedelta(days=1), actor=a
    )


HOLD_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "holds.place_hold": [({Permission.HOLD_CREDITS}, lambda g, a: _held(g, from_days=2, actor=a))],
    "holds.end_hold_early": [({Permission.HOLD_CREDITS}, _end)],
    "holds.cancel_hold": [
        (
            {Permission.HOLD_CREDITS},
            lambda g, a: g.services.holds.cancel_hold(_held(g, from_days=5).value.hold.id, actor=a),
        )
    ],
}
