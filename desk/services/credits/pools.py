"""Shared pools (family or partner credits): setting one up, who is in it, moving
credits in, and ending it. The rules, in one place:

- A member is in at most one pool at a time; only active members join.
- A lot with ``pool_id`` is the pool's: any current member pays from it
  (``paying_lot``: own credits first, then the pool's); its ``member_id`` stays
  the buyer. A lot's pool never changes: credits move into a pool (``share_lot``)
  or back out (``dissolve``) by transfers, an adjustment out of the old lot and a
  new lot linked to it, so no entry is ever edited.
- A member who leaves keeps the bookings the pool already paid (they stay booked;
  a cancel returns the credit to the pool's lot); from then on they book from
  their own credits only. Credits they bought into the pool stay the pool's.
- Dissolving gives each pool lot's open credits back to its buyer as a lot of
  their own and ends every membership; bookings already paid stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentStatus,
    CreditLot,
    CreditPool,
    MemberStatus,
    PoolMember,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InvalidState, NotFound, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import LotView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.credits.credit_reads import lot_view_of
from desk.services.credits.paying_lot import can_pay_on
from desk.services.credits.pool_lots import current_pool_ids
from desk.services.credits.pool_reads import PoolReads, PoolView, load_pool, pool_view
from desk.services.people.members import lock_member
from desk.services.records import audit

MAX_NAME = 120


@dataclass(frozen=True)
class PoolLeft:
    """A member out of a pool, and how many of their bookings the pool had paid
    (they stay booked)."""

    pool: PoolView
    member_id: int
    bookings_kept: int


@dataclass(frozen=True)
class PoolDissolved:
    pool: PoolView
    lots_returned: int
    credits_returned: int


def lock_pool(session: Session, pool_id: int) -> CreditPool:
    """The pool, row-locked until the transaction ends; InvalidState once dissolved."""
    pool = session.scalar(
        select(CreditPool)
        .where(CreditPool.id == pool_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if pool is None:
        pool = load_pool(session, pool_id)  # raises NotFound
    if pool.dissolved_at is not None:
        raise InvalidState(f"The shared pool {pool.name} was dissolved.")
    return pool


def move_membership(session: Session, from_member_id: int, to_member_id: int, at: datetime) -> None:
    """A merge: the duplicate's pool memberships become the survivor's. A current one
    the survivor can't take (they are in a pool already) ends at ``at`` instead."""
    if session.scalar(current_pool_ids(to_member_id)) is not None:
        session.execute(
            update(PoolMember)
            .where(PoolMember.member_id == from_member_id, PoolMember.left_at.is_(None))
            .values(left_at=at)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(PoolMember)
        .where(PoolMember.member_id == from_member_id)
        .values(member_id=to_member_id)
        .execution_options(synchronize_session=False)
    )


class PoolService(PoolReads):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def _join(self, session: Session, pool: CreditPool, member_id: int, actor: Actor) -> None:
        member = lock_member(session, member_id)
        name = f"{member.first_name} {member.last_name}".strip()
        if member.status != MemberStatus.ACTIVE.value:
            raise ValidationError("member", f"{name} is archived; reactivate them first.")
        if session.scalar(current_pool_ids(member.id)) is not None:
            raise ValidationError("member", f"{name} already shares credits in a pool.")
        now = self._clock.now()
        session.add(PoolMember(pool_id=pool.id, member_id=member.id, joined_at=now))
        session.flush()
        audit.record(session, at=now, actor=actor, action="pool.join", entity="member",
                     entity_id=member.id, member_id=member.id,
                     after={"pool_id": pool.id, "pool": pool.name})  # fmt: skip

    def _members(self, session: Session, pool_id: int) -> list[int]:
        return list(
            session.scalars(
                select(PoolMember.member_id).where(
                    PoolMember.pool_id == pool_id, PoolMember.left_at.is_(None)
                )
            )
        )

    @retry_transient
    def create(self, name: str, member_ids: list[MemberId], *, actor: Actor) -> Outcome[PoolView]:
        """A new shared pool named ``name`` with ``member_ids`` in it (at least one).

        Raises ValidationError for a missing name, no members, an archived member or
        one already in a pool; NotFound for an unknown member.
        """
        clean = clean_text(name, "name", max_length=MAX_NAME)
        if not clean:
            raise ValidationError("name", "Give the shared pool a name (e.g. Smith family).")
        if not member_ids:
            raise ValidationError("members", "A shared pool needs at least one member.")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_MEMBERS) as session:
            pool = CreditPool(name=clean, created_at=now, created_by_id=actor.staff_id)
            session.add(pool)
            session.flush()
            audit.record(session, at=now, actor=actor, action="pool.create",
                         entity="credit_pool", entity_id=pool.id,
                         after={"name": clean, "members": sorted(set(member_ids))})  # fmt: skip
            for member_id in sorted(set(member_ids)):
                self._join(session, pool, member_id, actor)
            view = pool_view(session, pool, today(self._clock))
        ids = [m.member_id for m in view.members]
        return Outcome(view, Changes.of(members=ids, credits=ids))

    @retry_transient
    def add_member(self, pool_id: int, member_id: MemberId, *, actor: Actor) -> Outcome[PoolView]:
        """Put a member in the pool: from now on they may book from its credits.

        Raises NotFound, InvalidState for a dissolved pool, ValidationError for an
        archived member or one already in a pool.
        """
        with authorized(self._db, actor, Permission.MANAGE_MEMBERS) as session:
            pool = lock_pool(session, pool_id)
            self._join(session, pool, member_id, actor)
            view = pool_view(session, pool, today(self._clock))
        ids = [m.member_id for m in view.members]
        return Outcome(view, Changes.of(members=ids, credits=ids))

    @retry_transient
    def remove_member(
        self, pool_id: int, member_id: MemberId, *, actor: Actor
    ) -> Outcome[PoolLeft]:
        """Take a member out of the pool. Bookings the pool already paid for them stay
        booked (counted in ``bookings_kept``); from now on they book from their own
        credits only. The membership row is updated, so a booking of theirs paying
        from the pool at this moment either committed first (and is counted) or
        reads again without the pool (``pool_lots.still_payable``).

        Raises NotFound, InvalidState for a dissolved pool or a member not in it.
        """
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_MEMBERS) as session:
            pool = lock_pool(session, pool_id)
            result = session.execute(
                update(PoolMember)
                .where(
                    PoolMember.pool_id == pool.id,
                    PoolMember.member_id == member_id,
                    PoolMember.left_at.is_(None),
                )
                .values(left_at=now)
                .execution_options(synchronize_session=False)
            )
            assert isinstance(result, CursorResult)
            if result.rowcount != 1:
                raise InvalidState(f"Member #{member_id} is not in the shared pool {pool.name}.")
            kept = int(
                session.scalar(
                    select(func.count(Appointment.id))
                    .join(CreditLot, CreditLot.id == Appointment.lot_id)
                    .where(
                        Appointment.member_id == member_id,
                        Appointment.status == AppointmentStatus.BOOKED.value,
                        CreditLot.pool_id == pool.id,
                    )
                )
                or 0
            )
            audit.record(session, at=now, actor=actor, action="pool.leave", entity="member",
                         entity_id=member_id, member_id=member_id,
                         before={"pool_id": pool.id, "pool": pool.name},
                         after={"bookings_kept": kept})  # fmt: skip
            view = pool_view(session, pool, today(self._clock))
        ids = [member_id, *(m.member_id for m in view.members)]
        return Outcome(PoolLeft(view, member_id, kept), Changes.of(members=ids, credits=ids))

    @retry_transient
    def share_lot(
        self, lot_id: int, *, quantity: int | None = None, reason: str = "", actor: Actor
    ) -> Outcome[LotView]:
        """Move a member's own open credits into the pool they are in: the lot gives
        ``quantity`` (default: all it holds) up by an adjustment and a new lot of the
        pool, linked to it and bought by the same member, opens with them, their
        expiry and their value.

        Raises NotFound, ValidationError for a lot already a pool's, a member in no
        pool, or a quantity outside 1..what is open; InvalidState for a lot that
        can't pay any more (expired, voided, used up).
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT) or "shared with the pool"
        now = self._clock.now()
        on = today(self._clock)
        with authorized(self._db, actor, Permission.ADJUST_CREDITS) as session:
            lot = session.get(CreditLot, lot_id)
            if lot is None:
                raise NotFound(f"There is no lot #{lot_id}.")
            if lot.pool_id is not None:
                raise ValidationError("lot", "These credits are a shared pool's already.")
            pool_id = session.scalar(current_pool_ids(lot.member_id))
            if pool_id is None:
                raise ValidationError("lot", "The member is not in a shared pool.")
            pool = lock_pool(session, pool_id)
            if session.scalar(current_pool_ids(lot.member_id)) != pool.id:  # left meanwhile
                raise ValidationError("lot", "The member is not in a shared pool.")
            can_pay = session.scalar(select(CreditLot.id).where(CreditLot.id == lot.id,
                                                                can_pay_on(on)))  # fmt: skip
            if can_pay is None:
                raise InvalidState("This lot has no open credits to share.")
            amount = lot.remaining if quantity is None else quantity
            if isinstance(amount, bool) or not 1 <= amount <= lot.remaining:
                raise ValidationError("quantity", f"Share between 1 and {lot.remaining} credits.")
            new = ledger.transfer(session, lot, to_member_id=lot.member_id, quantity=amount,
                                  at=now, actor=actor, reason=clean_reason,
                                  pool_id=pool.id)  # fmt: skip
            audit.record(session, at=now, actor=actor, action="pool.share", entity="credit_lot",
                         entity_id=new.id, member_id=lot.member_id,
                         after={"from_lot_id": lot.id, "to_lot_id": new.id, "quantity": amount,
                                "pool_id": pool.id, "pool": pool.name})  # fmt: skip
            view = lot_view_of(session, new.id, on)
            ids = self._members(session, pool.id)
        return Outcome(view, Changes.of(credits=[lot.member_id, *ids]))

    @retry_transient
    def dissolve(self, pool_id: int, *, actor: Actor) -> Outcome[PoolDissolved]:
        """End the pool: each pool lot's open credits go back to the member who bought
        them (a transfer to a new lot of their own), every membership ends, and the
        pool stays on record, dissolved. Bookings it already paid stay as they are.

        Raises NotFound, InvalidState for a pool already dissolved.
        """
        now = self._clock.now()
        on = today(self._clock)
        with authorized(self._db, actor, Permission.MANAGE_MEMBERS) as session:
            pool = lock_pool(session, pool_id)
            ids = self._members(session, pool.id)
            lots = list(
                session.scalars(
                    select(CreditLot)
                    .where(CreditLot.pool_id == pool.id, can_pay_on(on))
                    .order_by(CreditLot.id)
                    .with_for_update()
                )
            )
            returned = 0
            for lot in lots:
                returned += lot.remaining
                ledger.transfer(session, lot, to_member_id=lot.member_id, quantity=lot.remaining,
                                at=now, actor=actor, reason=f"{pool.name} dissolved")  # fmt: skip
            session.execute(
                update(PoolMember)
                .where(PoolMember.pool_id == pool.id, PoolMember.left_at.is_(None))
                .values(left_at=now)
            )
            pool.dissolved_at = now
            audit.record(session, at=now, actor=actor, action="pool.dissolve",
                         entity="credit_pool", entity_id=pool.id,
                         after={"name": pool.name, "lots_returned": len(lots),
                                "credits_returned": returned})  # fmt: skip
            session.flush()
            view = pool_view(session, pool, on)
            buyers = {lot.member_id for lot in lots}
        result = PoolDissolved(view, len(lots), returned)
        return Outcome(result, Changes.of(members=ids, credits=[*ids, *buyers]))
