"""Role walk lines for shared pools (issue 18, item 8): setting one up, members in and
out, sharing a lot into it, dissolving it.

``test_role_walk`` adds these to its WRITES; each call gets the walk's ``Gym``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.services.core.actor import Actor
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _someone(g: Any) -> MemberId:
    return MemberId(
        g.services.members.create(
            first_name="Pool", last_name=f"Member {g.next_start():%j}", actor=SYSTEM
        ).value.id
    )


def _pool(g: Any) -> int:
    return int(g.services.pools.create("Walk family", [_someone(g)], actor=SYSTEM).value.id)


def _add(g: Any, a: Actor) -> Any:
    return g.services.pools.add_member(_pool(g), _someone(g), actor=a)


def _remove(g: Any, a: Actor) -> Any:
    pool = g.services.pools.create("Walk pair", [_someone(g), _someone(g)], actor=SYSTEM).value
    return g.services.pools.remove_member(pool.id, MemberId(pool.members[0].member_id), actor=a)


def _share(g: Any, a: Actor) -> Any:
    pool = g.services.pools.create("Walk share", [_someone(g)], actor=SYSTEM).value
    owner = MemberId(pool.members[0].member_id)
    lot = g.services.credits.add_credits(member_id=owner, appointment_type_id=AppointmentTypeId(
        g.kind), quantity=2, expires_on=None, actor=SYSTEM).value  # fmt: skip
    return g.services.pools.share_lot(lot.id, actor=a)


POOL_WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "pools.create": [
        (
            {Permission.MANAGE_MEMBERS},
            lambda g, a: g.services.pools.create("Walk pool", [_someone(g)], actor=a),
        )
    ],
    "pools.add_member": [({Permission.MANAGE_MEMBERS}, _add)],
    "pools.remove_member": [({Permission.MANAGE_MEMBERS}, _remove)],
    "pools.share_lot": [({Permission.ADJUST_CREDITS}, _share)],
    "pools.dissolve": [
        ({Permission.MANAGE_MEMBERS}, lambda g, a: g.services.pools.dissolve(_pool(g), actor=a))
    ],
}
