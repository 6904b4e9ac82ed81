"""Role walk line for Undo of the last credit action (issue 18, item 11): undoing needs
the permission the action itself needed, here an adjustment's.

``test_role_walk`` adds these to its WRITES; each call gets the walk's ``Gym``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.services.core.actor import Actor
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _undo_an_adjustment(g: Any, a: Actor) -> Any:
    g.services.credits.adjust(
        member_id=g.member, appointment_type_id=g.kind, delta=1, reason="walk", actor=SYSTEM
    )
    token = g.services.credit_undo.last_action(g.member, by=SYSTEM)
    assert token is not None
    return g.services.credit_undo.undo(token, actor=a)


UNDO_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "credit_undo.undo": [(frozenset({Permission.ADJUST_CREDITS}), _undo_an_adjustment)],
}
