"""Reading shared pools: who is in one, its credits apart from each member's own, and
its history saying who used each shared credit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentType,
    CreditEntry,
    CreditLot,
    CreditPool,
    Member,
    PoolMember,
    StaffMember,
)
from desk.services.core.clock import Clock, today
from desk.services.core.errors import NotFound
from desk.services.core.ids import MemberId
from desk.services.core.read_models import BalanceRow, HistoryRow, LotView
from desk.services.credits.credit_reads import balance_rows, lot_view
from desk.services.credits.history_rows import entry_row, history_entries
from desk.services.credits.paying_lot import can_pay_on
from desk.services.credits.pool_lots import current_pool_ids
from desk.services.people.members import load_member


@dataclass(frozen=True, slots=True)
class PoolMemberView:
    member_id: int
    name: str
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class PoolView:
    """A shared pool now: its current members, its balances and its open lots."""

    id: int
    name: str
    dissolved: bool
    members: tuple[PoolMemberView, ...]
    balances: tuple[BalanceRow, ...]
    lots: tuple[LotView, ...]
    """Lots that can still pay, soonest expiry first (``member_id`` is the buyer)."""

    def next_expiry(self, appointment_type_id: int) -> date | None:
        """The soonest expiry of the pool's open credits of one type (None: never)."""
        dates = [
            lot.expires_on
            for lot in self.lots
            if lot.appointment_type_id == appointment_type_id and lot.expires_on is not None
        ]
        return min(dates, default=None)


@dataclass(frozen=True, slots=True)
class PoolHistoryRow:
    """A line of a pool's history, with who used the credit (a booking's member) or
    who bought it (a sale or grant): ``member_name``."""

    row: HistoryRow
    member_id: int
    member_name: str


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def load_pool(session: Session, pool_id: int) -> CreditPool:
    pool = session.get(CreditPool, pool_id)
    if pool is None:
        raise NotFound(f"There is no shared pool #{pool_id}.")
    return pool


def pool_view(session: Session, pool: CreditPool, on: date) -> PoolView:
    """The read model of a pool inside the caller's session."""
    members = tuple(
        PoolMemberView(member_id, _name(first, last), joined)
        for member_id, first, last, joined in session.execute(
            select(Member.id, Member.first_name, Member.last_name, PoolMember.joined_at)
            .join(PoolMember, PoolMember.member_id == Member.id)
            .where(PoolMember.pool_id == pool.id, PoolMember.left_at.is_(None))
            .order_by(PoolMember.joined_at, PoolMember.id)
        )
    )
    lots = tuple(
        lot_view(lot, type_name, by, on)
        for lot, type_name, by in session.execute(
            select(CreditLot, AppointmentType.name, StaffMember.name)
            .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
            .outerjoin(StaffMember, StaffMember.id == CreditLot.created_by_id)
            .where(CreditLot.pool_id == pool.id, can_pay_on(on))
            .order_by(CreditLot.expires_on.is_(None), CreditLot.expires_on, CreditLot.id)
        )
    )
    balances = tuple(balance_rows(session, on, pool_id=pool.id))
    return PoolView(pool.id, pool.name, pool.dissolved_at is not None, members, balances, lots)


class PoolReads:
    """The read side of PoolService."""

    _db: Database
    _clock: Clock

    def pool_of(self, member_id: MemberId) -> PoolView | None:
        """The shared pool the member is in now, or None. Raises NotFound for an
        unknown member."""
        with self._db.read() as session:
            load_member(session, member_id)
            pool_id = session.scalar(current_pool_ids(member_id))
            if pool_id is None:
                return None
            return pool_view(session, load_pool(session, pool_id), today(self._clock))

    def pool(self, pool_id: int) -> PoolView:
        """One pool. Raises NotFound."""
        with self._db.read() as session:
            return pool_view(session, load_pool(session, pool_id), today(self._clock))

    def pools(self, *, include_dissolved: bool = False) -> list[PoolView]:
        """Every pool by name (without ``include_dissolved``: the ones still running)."""
        query = select(CreditPool).order_by(CreditPool.name, CreditPool.id)
        if not include_dissolved:
            query = query.where(CreditPool.dissolved_at.is_(None))
        with self._db.read() as session:
            on = today(self._clock)
            return [pool_view(session, pool, on) for pool in session.scalars(query)]

    def pool_history(self, pool_id: int) -> list[PoolHistoryRow]:
        """Every entry on the pool's lots, newest first, each naming the member who used
        the credit (the booked appointment's member) or bought it. Raises NotFound."""
        user, buyer = aliased(Member), aliased(Member)
        query = (
            history_entries()
            .add_columns(
                user.id.label("user_id"),
                user.first_name.label("user_first"),
                user.last_name.label("user_last"),
                buyer.id.label("buyer_id"),
                buyer.first_name.label("buyer_first"),
                buyer.last_name.label("buyer_last"),
            )
            .outerjoin(user, user.id == Appointment.member_id)
            .join(buyer, buyer.id == CreditLot.member_id)
            .where(CreditLot.pool_id == pool_id)
            .order_by(CreditEntry.at.desc(), CreditEntry.id.desc())
        )
        with self._db.read() as session:
            load_pool(session, pool_id)
            return [
                PoolHistoryRow(
                    entry_row(entry),
                    entry.user_id if entry.user_id is not None else entry.buyer_id,
                    _name(entry.user_first, entry.user_last)
                    if entry.user_id is not None
                    else _name(entry.buyer_first, entry.buyer_last),
                )
                for entry in session.connection().execute(query).all()
            ]
