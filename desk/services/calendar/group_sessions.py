"""Sessions that hold several members: who is in one, whether there is room, and
promoting the waitlist when a place comes free.

A session is the booked (or attended, or no-show) appointments of one coach, one
type, one start and one end. A type's ``capacity`` says how many members it
holds; at 1 it is the one-to-one session the calendar always had. Every write
that reads a session's room holds the coach's row first (``lock_staff``), so two
desks can't both take its last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    EntryKind,
    Member,
    MemberStatus,
    StaffMember,
    WaitlistEntry,
    WaitlistStatus,
)
from desk.services.calendar.availability_rules import check_slot
from desk.services.calendar.booking_reads import (
    BUSY_STATUSES,
    check_free,
    long_date,
    snapshot,
)
from desk.services.core.actor import Actor
from desk.services.core.clock import Clock, local_date, today
from desk.services.core.errors import Clash, Conflict, SessionFull
from desk.services.credits import first_use, ledger
from desk.services.people.hold_rules import hold_on, refuse_on_hold
from desk.services.records import audit


@dataclass(frozen=True, slots=True)
class SessionKey:
    """Which session: the coach, the type and its times (UTC)."""

    staff_id: int
    appointment_type_id: int
    starts_at: datetime
    ends_at: datetime


def key_of(appt: Appointment) -> SessionKey:
    return SessionKey(appt.staff_id, appt.appointment_type_id, appt.starts_at, appt.ends_at)


def member_name(member: Member) -> str:
    return f"{member.first_name} {member.last_name}".strip()


def at_session(
    model: type[Appointment] | type[WaitlistEntry], key: SessionKey
) -> ColumnElement[bool]:
    """The WHERE clause of a session's rows (appointments or waitlist entries)."""
    return and_(
        model.staff_id == key.staff_id,
        model.appointment_type_id == key.appointment_type_id,
        model.starts_at == key.starts_at,
        model.ends_at == key.ends_at,
    )


def end_entry(
    session: Session,
    entry: WaitlistEntry,
    status: WaitlistStatus,
    *,
    action: str,
    at: datetime,
    actor: Actor,
    appointment_id: int | None = None,
) -> None:
    """A waiting member promoted or gone: the entry's new status, audited."""
    before = entry_snapshot(entry)
    entry.status = status.value
    entry.ended_at = at
    entry.ended_by_id = actor.staff_id
    entry.appointment_id = appointment_id
    audit.record(
        session, at=at, actor=actor, action=action, entity="waitlist_entry",
        entity_id=entry.id, member_id=entry.member_id, before=before, after=entry_snapshot(entry),
    )  # fmt: skip


def session_rows(session: Session, key: SessionKey) -> list[Appointment]:
    """The appointments holding a place in the session, oldest booking first."""
    return list(
        session.scalars(
            select(Appointment)
            .where(at_session(Appointment, key), Appointment.status.in_(BUSY_STATUSES))
            .order_by(Appointment.id)
        )
    )


def check_room(
    session: Session,
    tz: tzinfo,
    member: Member,
    kind: AppointmentType,
    staff: StaffMember,
    key: SessionKey,
    *,
    ignore: int | None = None,
) -> None:
    """Whether ``member`` can take a place in the session (the caller holds the coach's row).

    Raises Unavailable when the coach doesn't work then or doesn't deliver the
    type, Clash when the coach has anything else then (buffers included),
    Conflict when the member is already in this session, SessionFull when every
    place is taken. A one-to-one type (capacity 1): any overlap is a Clash.
    """
    # The coach's hours, time off, the types they deliver and the buffers first (the
    # one availability rule), then the places of a group session.
    group = kind.id if kind.capacity > 1 else None
    check_slot(session, staff, kind, key.starts_at, key.ends_at, ignore, tz, group_type=group)
    if group is None:
        return
    rows = [row for row in session_rows(session, key) if row.id != ignore]
    if any(row.member_id == member.id for row in rows):
        raise Conflict(f"{member_name(member)} is already booked into this {kind.name} session.")
    if len(rows) >= kind.capacity:
        raise SessionFull(
            full_message(kind, staff, key, tz),
            staff_id=staff.id,
            appointment_type_id=kind.id,
            starts_at=key.starts_at,
            ends_at=key.ends_at,
        )


def check_moved_in(session: Session, tz: tzinfo, row: Appointment, staff: StaffMember) -> None:
    """A moved appointment (already flushed at its new time) fits there: the same
    rule as ``check_room``, counting the row itself. Raises Clash, Conflict or
    SessionFull."""
    kind = session.get(AppointmentType, row.appointment_type_id)
    member = session.get(Member, row.member_id)
    assert kind is not None
    assert member is not None
    refuse_on_hold(session, tz, member, row.starts_at)
    check_room(session, tz, member, kind, staff, key_of(row), ignore=row.id)


def full_message(kind: AppointmentType, staff: StaffMember, key: SessionKey, tz: tzinfo) -> str:
    local = key.starts_at.astimezone(tz)
    return (
        f"{kind.name} with {staff.name} at {local:%H:%M} on {long_date(local.date())} is full "
        f"({kind.capacity} of {kind.capacity}). Put the member on its waitlist instead."
    )


def create_booking(
    session: Session,
    clock: Clock,
    *,
    member_id: int,
    kind: AppointmentType,
    staff_id: int,
    key: SessionKey,
    lot_id: int | None,
    notes: str,
    series_id: str | None,
    actor: Actor,
    extra: dict[str, str] | None = None,
) -> Appointment:
    """Write one booking paid by ``lot_id`` (already taken): the row, its book entry
    and its audit event (with ``extra``: a booking rule overridden and why). The
    caller has checked the room and taken the credit; ``lot_id`` None books it
    unpaid (no entry: it owes a credit, desk/services/credits/settle_unpaid.py)."""
    now = clock.now()
    appt = Appointment(
        member_id=member_id,
        appointment_type_id=kind.id,
        staff_id=staff_id,
        starts_at=key.starts_at,
        ends_at=key.ends_at,
        status=AppointmentStatus.BOOKED.value,
        lot_id=lot_id,
        unpaid=lot_id is None,
        series_id=series_id,
        notes=notes,
        created_at=now,
        created_by_id=actor.staff_id,
    )
    session.add(appt)
    session.flush()
    if lot_id is not None:
        ledger.post(session, lot_id=lot_id, kind=EntryKind.BOOK, delta=-1, at=now, actor=actor,
                    appointment_id=appt.id)  # fmt: skip
        day = local_date(clock, key.starts_at)
        first_use.record_start(session, lot_id=lot_id, appointment_id=appt.id, member_id=member_id,
                               first_day=day, at=now, actor=actor)  # fmt: skip
    audit.record(
        session,
        at=now,
        actor=actor,
        action="appointment.book",
        entity="appointment",
        entity_id=appt.id,
        member_id=member_id,
        after={**snapshot(appt), **({"unpaid": True} if appt.unpaid else {}), **(extra or {})},
    )
    return appt


def entry_snapshot(entry: WaitlistEntry) -> dict[str, object]:
    return {
        "appointment_type_id": entry.appointment_type_id,
        "staff_id": entry.staff_id,
        "starts_at": entry.starts_at,
        "ends_at": entry.ends_at,
        "status": entry.status,
        "appointment_id": entry.appointment_id,
    }


def waiting_entries(session: Session, key: SessionKey) -> list[WaitlistEntry]:
    """The session's waiting members, first come first."""
    return list(
        session.scalars(
            select(WaitlistEntry)
            .where(
                at_session(WaitlistEntry, key),
                WaitlistEntry.status == WaitlistStatus.WAITING.value,
            )
            .order_by(WaitlistEntry.id)
            .with_for_update()
        )
    )


def promote(
    session: Session, clock: Clock, key: SessionKey, staff: StaffMember, *, actor: Actor
) -> list[Appointment]:
    """Fill the session's free places from its waitlist, first come first.

    The caller holds the coach's row. A waiting member with no usable credit
    (or archived) is passed over and stays waiting; the next one is tried. Each
    promotion spends the member's own credit (the same lot rule as a booking),
    is booked and audited. A session that has started gets no one. Returns the
    bookings made.
    """
    now = clock.now()
    if key.starts_at <= now:
        return []
    kind = session.get(AppointmentType, key.appointment_type_id)
    if kind is None:
        return []
    rows = session_rows(session, key)
    room = kind.capacity - len(rows)
    if room <= 0:
        return []
    entries = waiting_entries(session, key)
    if not entries:
        return []
    try:
        check_free(session, staff, key.starts_at, key.ends_at, None, clock.tz, group_type=kind.id)
    except Clash:
        return []
    inside = {row.member_id for row in rows}
    usable_on = max(local_date(clock, key.starts_at), today(clock))
    booked: list[Appointment] = []
    for entry in entries:
        if room <= 0:
            break
        member = session.get(Member, entry.member_id)
        if member is None or member.status != MemberStatus.ACTIVE.value:
            continue
        if member.id in inside or hold_on(session, member.id, usable_on, lock=True):
            continue  # in already, or on hold that day
        lot_id = ledger.take_one(session, member.id, kind.id, usable_on)
        if lot_id is None:
            continue
        appt = create_booking(
            session,
            clock,
            member_id=member.id,
            kind=kind,
            staff_id=staff.id,
            key=key,
            lot_id=lot_id,
            notes="",
            series_id=None,
            actor=actor,
        )
        end_entry(
            session, entry, WaitlistStatus.PROMOTED, action="waitlist.promote", at=now,
            actor=actor, appointment_id=appt.id,
        )  # fmt: skip
        inside.add(member.id)
        booked.append(appt)
        room -= 1
    session.flush()
    return booked
