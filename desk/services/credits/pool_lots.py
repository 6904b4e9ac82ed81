"""Whose lots are whose once credits can be shared: the SQL conditions, in one place.

A lot with ``pool_id`` belongs to that shared pool (its ``member_id`` stays the
buyer); a lot without one is its member's own. Own balances, lists and
exports use ``own_lot`` so a member's own figures never include the pool;
paying uses ``payable_by`` (own lots and the lots of the pool the member is in
now); ``hold_membership`` is the booking's guard (docs/concurrency.md).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from desk.models import CreditLot, PoolMember
from desk.services.core.errors import ValidationError


def own_lot() -> ColumnElement[bool]:
    """SQL: the lot is its member's own (not a shared pool's)."""
    return CreditLot.pool_id.is_(None)


def owned_by(member_id: int) -> ColumnElement[bool]:
    """SQL: the lot is ``member_id``'s own (not a pool lot they bought)."""
    return and_(CreditLot.member_id == member_id, own_lot())


def current_pool_ids(member_id: int) -> Select[int]:
    """SQL: the pool the member is in now (at most one row)."""
    return select(PoolMember.pool_id).where(
        PoolMember.member_id == member_id, PoolMember.left_at.is_(None)
    )


def payable_by(member_id: int) -> ColumnElement[bool]:
    """SQL: the member may pay from the lot: their own, or their current pool's."""
    return or_(owned_by(member_id), CreditLot.pool_id.in_(current_pool_ids(member_id)))


def hold_membership(session: Session, member_id: int, pool_id: int) -> bool:
    """Lock the member's current membership of ``pool_id`` until the transaction ends;
    False when they are not in it (any more).

    A booking paying from a pool lot holds this row (FOR SHARE) until it commits, so
    removing the member (an UPDATE of the row) waits for the booking, or the booking
    waits for the removal, reads the row again and finds them gone. SQLite's write
    lock already serialises the two.
    """
    held = session.scalar(
        select(PoolMember.id)
        .where(
            PoolMember.member_id == member_id,
            PoolMember.pool_id == pool_id,
            PoolMember.left_at.is_(None),
        )
        .with_for_update(read=True)
    )
    return held is not None


def still_payable(
    session: Session, member_id: int, pool_id: int | None
) -> list[ColumnElement[bool]]:
    """The conditions a booking's take of a chosen lot adds (``ledger.take_one``).

    An own lot must still be the member's (a merge may have moved it meanwhile); a
    pool lot needs the member in that pool at that moment: their membership row is
    held (``hold_membership``), and if they were removed the take's condition is
    false, so it changes nothing and the booking reads its lots again.
    """
    if pool_id is None:
        return [CreditLot.member_id == member_id]
    if not hold_membership(session, member_id, pool_id):
        return [false()]
    return [CreditLot.pool_id == pool_id]


def pool_for_grant(session: Session, member_id: int, pool_id: int | None) -> int | None:
    """``pool_id`` for a lot the member buys or is given into their pool (None: their
    own). Raises ValidationError unless the member is in that pool now."""
    if pool_id is None:
        return None
    if session.scalar(current_pool_ids(member_id)) != pool_id:
        raise ValidationError("pool", "The member is not in that shared pool.")
    return pool_id
