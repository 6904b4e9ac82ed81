"""Book now, pay later: the member's next credits of a type settle their unpaid bookings.

A booking made without a credit (``appointments.unpaid``) owes one. Whenever
credits are granted (``ledger.open_lot`` / ``open_lots``: a sale, a plan period,
an import, Add Credits, an adjustment that opens a lot, a transfer in), the same
transaction settles that member's owing bookings of that type, oldest first (by
start time): each gets a normal book entry on the lot that pays it (the paying-lot
rule: ``ledger.take_one`` on the later of the session's day and today) while
credits last and a lot can pay then. A settled no-show or late cancel gets its
forfeit entry too, as if it had been paid all along (it owed its credit: see
docs/design.md, "Book now, pay later"). Only entries are written; the booking gets
its lot and loses its mark.

What was paid is kept on the session (``paid_in``) so the service that granted can
say so in its result ("Paid 2 unpaid bookings: ...").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import LOCAL_ZONE
from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditLot,
    EntryKind,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes
from desk.services.core.clock import SystemClock
from desk.services.core.read_models import PaidBooking
from desk.services.core.settings_values import stored_time_zone
from desk.services.credits import first_use, ledger
from desk.services.people.members import lock_member
from desk.services.records import audit

OWING_STATUSES = (
    AppointmentStatus.BOOKED.value,
    AppointmentStatus.ATTENDED.value,
    AppointmentStatus.NO_SHOW.value,
    AppointmentStatus.LATE_CANCELLED.value,
)
"""An unpaid booking in one of these still owes its credit (a cancel in time owes none)."""
_FORFEITED = (AppointmentStatus.NO_SHOW.value, AppointmentStatus.LATE_CANCELLED.value)
_PAID_KEY = "desk.paid_unpaid"


def owing(session: Session, member_id: int, type_id: int) -> list[Appointment]:
    """The member's bookings of the type that still owe a credit, oldest first, locked."""
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.unpaid.is_(True),
                Appointment.member_id == member_id,
                Appointment.appointment_type_id == type_id,
                Appointment.status.in_(OWING_STATUSES),
            )
            .order_by(Appointment.starts_at, Appointment.id)
            .with_for_update()
        )
    )


def settle(
    session: Session, *, member_id: int, type_id: int, at: datetime, actor: Actor
) -> list[PaidBooking]:
    """Settle the member's owing bookings of the type from their usable credits (see
    the module's docstring); the bookings paid, also kept for ``paid_in``. Raises
    CreditsMoved (the caller's transaction reads again) when another desk took a
    credit it had read."""
    # FOR NO KEY UPDATE, like every member lock: the lot just inserted holds KEY SHARE on
    # the member's row, and FOR UPDATE here turned two sales to one member into a deadlock.
    lock_member(session, member_id)
    rows = owing(session, member_id, type_id)
    if not rows:
        return []
    zone = _gym_zone(session)
    today = at.astimezone(zone).date()
    kind = session.get(AppointmentType, type_id)
    paid: list[PaidBooking] = []
    for row in rows:
        usable_on = max(row.starts_at.astimezone(zone).date(), today)
        lot_id = ledger.take_one(session, member_id, type_id, usable_on)
        if lot_id is None:
            continue  # no credit can pay on this day; a later session may still be paid
        _pay(session, row, lot_id, at, actor)
        first_use.record_start(session, lot_id=lot_id, appointment_id=row.id,
                               member_id=member_id, first_day=usable_on, at=at,
                               actor=actor)  # fmt: skip
        paid.append(PaidBooking(row.id, member_id, kind.name if kind else "", row.starts_at,
                                lot_id))  # fmt: skip
    for lot_id in {p.lot_id for p in paid}:
        lot = session.get(CreditLot, lot_id)
        if lot is not None:
            session.expire(lot, ["remaining"])  # taken in SQL: read it again
    session.info.setdefault(_PAID_KEY, []).extend(paid)
    return paid


def settle_batch(
    session: Session, pairs: Iterable[tuple[int, int]], *, at: datetime, actor: Actor
) -> list[PaidBooking]:
    """``settle`` for every (member, type) of a bulk grant that owes anything: one read
    finds the few that do, so an import of 100,000 lots costs one query more."""
    wanted = set(pairs)
    if not wanted:
        return []
    owes = {
        (member_id, type_id)
        for member_id, type_id in session.execute(
            select(Appointment.member_id, Appointment.appointment_type_id)
            .where(Appointment.unpaid.is_(True), Appointment.status.in_(OWING_STATUSES))
            .distinct()
        )
    }
    paid: list[PaidBooking] = []
    for member_id, type_id in sorted(wanted & owes):
        paid += settle(session, member_id=member_id, type_id=type_id, at=at, actor=actor)
    return paid


def paid_in(session: Session) -> tuple[PaidBooking, ...]:
    """Every booking this transaction's grants settled so far, in the order paid."""
    return tuple(session.info.get(_PAID_KEY, ()))


def paid_changes(paid: Iterable[PaidBooking]) -> Changes:
    """What settling changed, for a grant's Outcome: those bookings and their members."""
    paid = list(paid)
    members = {p.member_id for p in paid}
    return Changes.of(appointments=[p.appointment_id for p in paid], bookings=members,
                      credits=members)  # fmt: skip


def _pay(session: Session, row: Appointment, lot_id: int, at: datetime, actor: Actor) -> None:
    before = {"lot_id": None, "unpaid": True}
    row.lot_id = lot_id
    row.unpaid = False
    ledger.post(session, lot_id=lot_id, kind=EntryKind.BOOK, delta=-1, at=at, actor=actor,
                reason="settled an unpaid booking", appointment_id=row.id)  # fmt: skip
    if row.status in _FORFEITED:
        ledger.post(session, lot_id=lot_id, kind=EntryKind.FORFEIT, delta=0, at=at, actor=actor,
                    reason="owed by an unpaid booking", appointment_id=row.id)  # fmt: skip
    audit.record(
        session, at=at, actor=actor, action="appointment.settle", entity="appointment",
        entity_id=row.id, member_id=row.member_id, before=before,
        after={"lot_id": lot_id, "unpaid": False, "status": row.status,
               "appointment_type_id": row.appointment_type_id, "staff_id": row.staff_id,
               "starts_at": row.starts_at},
    )  # fmt: skip


def _gym_zone(session: Session) -> tzinfo:
    """The zone of the services' clock (the write session carries it, db.LOCAL_ZONE);
    without one, as a desk's clock would have it (DESK_TIMEZONE, else Settings). The
    settle's "today" once came from the stored setting alone: a desk whose clock kept
    another zone settled a session of today with a lot expiring today differently from
    a booking (found by the ledger machine at 21:10 New York, 02:10 UTC)."""
    zone = session.info.get(LOCAL_ZONE)
    if isinstance(zone, tzinfo):
        return zone
    return SystemClock.for_gym(stored_time_zone(session)).tz
