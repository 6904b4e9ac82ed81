"""Undoing an import of booked sessions: its bookings give their credits back first.

An appointments import makes, for every row, a one-credit migration lot and a
booking holding that credit. Taking such an import back cancels the bookings
that are still exactly as the import made them (booked, whoever moved them
since) and returns each credit to its lot, so that the undo can write the
lots off like any credits import. A booking checked in, marked no-show or
cancelled since has been worked with: the undo is refused, naming the member.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import Appointment, AppointmentStatus, Member
from desk.services.calendar.booking_reads import snapshot
from desk.services.core.actor import Actor
from desk.services.core.errors import InvalidState
from desk.services.credits import ledger
from desk.services.records import audit


def lock_imported_bookings(session: Session, batch_id: str) -> list[Appointment]:
    """Every booking the import ``batch_id`` made, locked against a cancel or a
    check-in racing the undo (another desk's status change waits, then finds the
    booking cancelled). A booking a desk made later with one of the import's
    credits is not among them: it is a use of the credit, and refuses the undo.
    Raises InvalidState when one of the import's bookings is no longer booked."""
    appointments = list(
        session.scalars(
            select(Appointment)
            .where(Appointment.import_batch == batch_id)
            .order_by(Appointment.id)
            .with_for_update()
        )
    )
    changed = [a for a in appointments if a.status != AppointmentStatus.BOOKED.value]
    if changed:
        names = session.execute(
            select(Member.first_name, Member.last_name)
            .where(Member.id.in_({a.member_id for a in changed}))
            .order_by(Member.last_name, Member.first_name)
        ).all()
        shown = ", ".join(f"{first} {last}".strip() for first, last in names[:3])
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        raise InvalidState(
            f"{len(changed)} of the sessions this import booked were checked in, marked "
            f"no-show or cancelled since ({shown}{more}); it can't be undone as a whole. "
            "Cancel the other sessions one by one instead."
        )
    return appointments


def release_imported_bookings(
    session: Session,
    appointments: list[Appointment],
    batch_id: str,
    now: datetime,
    actor: Actor,
) -> None:
    """Cancel each of ``appointments`` (from ``lock_imported_bookings``) and give its
    credit back to its lot, with the undo as the reason in the member's history."""
    why = f"import {batch_id} undone"
    for appt in appointments:
        assert appt.lot_id is not None  # lock_imported_bookings found it by its lot
        before = snapshot(appt)
        appt.status = AppointmentStatus.CANCELLED.value
        appt.status_changed_at = now
        appt.status_changed_by_id = actor.staff_id
        appt.status_reason = why
        ledger.release(
            session, lot_id=appt.lot_id, appointment_id=appt.id, at=now, actor=actor, reason=why
        )
        audit.record(
            session,
            at=now,
            actor=actor,
            action="appointment.cancel",
            entity="appointment",
            entity_id=appt.id,
            member_id=appt.member_id,
            before=before,
            after={**snapshot(appt), "late": False, "credit_returned": True, "reason": why},
        )
