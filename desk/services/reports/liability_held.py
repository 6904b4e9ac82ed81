"""What each lot holds at a moment, as SQL subqueries the liability reports sum over.

A credit is held from its grant until it is spent: booked and not yet consumed
counts as held. ``held_at`` reads the entries before the moment; ``held_now``,
for a moment no entry is after yet, reads the lots' cached balances and their
bookings instead. Both give ``(lot_id, held)`` rows; the dict forms are for tests
and callers that look lots up one by one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, func, select, union_all
from sqlalchemy.orm import Session, aliased

from desk.models import Appointment, AppointmentStatus, CreditEntry, CreditLot, EntryKind
from desk.services.credits.credit_reads import used_its_credit

BOOKING_KINDS = (EntryKind.BOOK.value, EntryKind.RELEASE.value)
# The kinds that move a lot's held credits by their own delta: bookings and
# give-backs cancel out against "booked", and forfeits and reversals carry a
# delta of 0 (the CHECK on credit_entries), so they move nothing.
MOVING_KINDS = (EntryKind.GRANT.value, EntryKind.ADJUST.value, EntryKind.EXPIRE.value)


def _summed(parts: Select[int, int], *more: Select[int, int]) -> Subquery:
    both = union_all(parts, *more).subquery()
    lot_id, n = both.c
    return select(lot_id.label("lot_id"), func.sum(n).label("held")).group_by(lot_id).subquery()


def booking_of(book: type[CreditEntry]) -> ColumnElement[bool]:
    """Join a session to its one booking entry (``book``, an alias). The coalesce
    keeps SQLite from driving the join from every booking entry instead of the
    sessions' index (it has no statistics to tell which is fewer)."""
    return (book.appointment_id == Appointment.id) & (
        func.coalesce(book.kind, book.kind) == EntryKind.BOOK.value
    )


def consumed_before(moment: datetime, lots: Select[Any] | None = None) -> Select[int, int]:
    """``(lot_id, -n)``: the booked credits each lot had consumed by ``moment``:
    sessions that used their credit, started before it and were booked before it.
    Read from the sessions' status index and their booking entries' index alone;
    with ``lots`` (a select of lot ids), only those lots' sessions."""
    book = aliased(CreditEntry, name="booked_entry")
    if lots is not None:
        # Lot by lot, each counted on the lot-and-start index, not from every
        # session before ``moment`` (which SQLite would otherwise drive from).
        wanted = lots.subquery("wanted")
        lot = next(iter(wanted.c))
        count = (
            select(func.count())
            .select_from(Appointment)
            .join(book, booking_of(book))
            .where(Appointment.lot_id == lot, book.lot_id == lot, used_its_credit(),
                   Appointment.starts_at < moment, book.at < moment)
            .scalar_subquery()
        )  # fmt: skip
        return select(lot, -count).group_by(lot)
    return (
        select(book.lot_id, -func.count())
        .select_from(Appointment)
        .join(book, booking_of(book))
        .where(used_its_credit(), Appointment.starts_at < moment, book.at < moment)
        .group_by(book.lot_id)
    )


def held_at_query(moment: datetime, lots: Select[Any] | None = None) -> Subquery:
    """``(lot_id, held)`` just before ``moment``: a lot's grants, adjustments and
    expiries until then (the kinds that move what it holds), less the booked
    credits consumed by then. Two plain aggregates over covering indexes, no
    correlated lookups but the give-back check. With ``lots`` (a select of lot
    ids), only those lots, read from the lot indexes."""
    kind: ColumnElement[str] = CreditEntry.kind.expression
    at: ColumnElement[datetime] = CreditEntry.at.expression
    if lots is not None:  # the lots' own entries: keep SQLite on the lot index
        kind, at = func.coalesce(kind, kind), func.coalesce(at, at)
    moved = (
        select(CreditEntry.lot_id, func.sum(CreditEntry.delta))
        .where(kind.in_(MOVING_KINDS), at < moment)
        .group_by(CreditEntry.lot_id)
    )
    if lots is not None:
        moved = moved.where(CreditEntry.lot_id.in_(lots))
    return _summed(moved, consumed_before(moment, lots))


def holding(moment: datetime) -> Select[int | None, int]:
    """Lots and the credits their bookings hold just before ``moment``, for a moment
    no entry is after yet: sessions still booked, and sessions consumed only at a
    start after ``moment``."""
    return (
        select(Appointment.lot_id, func.count())
        .where(
            Appointment.lot_id.is_not(None),
            (Appointment.status == AppointmentStatus.BOOKED.value)
            | (used_its_credit() & (Appointment.starts_at >= moment)),  # not forgiven ones
        )
        .group_by(Appointment.lot_id)
    )


def held_now_query(moment: datetime) -> Subquery:
    """``held_at_query(moment)`` for a moment no entry is after yet (today's
    liability): each lot's cached ``remaining`` (the sum of all its entries) plus
    the credits its bookings hold. Two index reads instead of every entry ever
    written; the tests check that it equals ``held_at``."""
    booked = holding(moment).subquery()
    lot_id, n = booked.c
    return (
        select(CreditLot.id.label("lot_id"),
               (CreditLot.remaining + func.coalesce(n, 0)).label("held"))
        .outerjoin(booked, lot_id == CreditLot.id)
        .where((CreditLot.remaining > 0) | n.is_not(None))
        .subquery()
    )  # fmt: skip


def _as_dict(session: Session, query: Subquery) -> dict[int, int]:
    return {int(lot): int(n) for lot, n in session.execute(select(query.c.lot_id, query.c.held))}


def held_at(session: Session, moment: datetime) -> dict[int, int]:
    """Credits each lot held just before ``moment`` (see ``held_at_query``)."""
    return _as_dict(session, held_at_query(moment))


def held_now(session: Session, moment: datetime) -> dict[int, int]:
    """``held_at(moment)`` for a moment no entry is after yet (see ``held_now_query``)."""
    return _as_dict(session, held_now_query(moment))
