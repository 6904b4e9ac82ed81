"""Undoing a check-in, no-show or late cancel: the appointment is booked again."""

from __future__ import annotations

from sqlalchemy.orm import Session

from desk.models import Appointment, AppointmentStatus
from desk.services.calendar.booking_reads import check_free, lock_appointment, lock_staff, snapshot
from desk.services.calendar.forgiving import Forgiving, was_forgiven
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import Clash, InvalidState, ValidationError
from desk.services.core.ids import AppointmentId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import AppointmentView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.records import audit
from desk.services.selling.fees import waive_open_fee

# The statuses that can be undone, and what the desk calls each.
UNDOABLE = {
    AppointmentStatus.ATTENDED: "check-in",
    AppointmentStatus.NO_SHOW: "no-show",
    AppointmentStatus.LATE_CANCELLED: "late cancel",
}


class StatusUndo(Forgiving):
    """The undo of a status change (and forgiving one): the part of BookingService an owner
    or admin uses."""

    @retry_transient
    def undo_status(
        self, appointment_id: AppointmentId, *, reason: str, actor: Actor
    ) -> Outcome[AppointmentView]:
        """Put an attended, no-show or late-cancelled appointment back to booked.

        The credit is the booking's again: a forfeit (no-show, late cancel) gets a
        reverse entry on the lot that paid; a check-in, which moved no credit, gets
        a reverse entry for the history only; a fee it charged is waived. The
        appointment row is locked before its status is read, so of two desks
        undoing at once one undoes and the other is refused. Raises ValidationError
        without a reason, InvalidState for any other status (a second undo finds it
        booked) or a forgiven one (a fee instead of the forfeit counts), Conflict when a
        late-cancelled slot has been booked again, PermissionDenied for anyone
        but an owner or admin, NotFound for an unknown appointment.
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not clean_reason:
            raise ValidationError("reason", "Say why the status is being undone.")
        with authorized(self._db, actor, Permission.REVERSE_STATUS) as session:
            appt = put_back_booked(session, self._clock, appointment_id, clean_reason, actor)
            session.flush()
            view = self._get(session, appt.id)
        return Outcome(
            view,
            Changes.of(credits=[view.member_id], appointments=[view.id], bookings=[view.member_id]),
        )


def put_back_booked(
    session: Session, clock: Clock, appointment_id: int, clean_reason: str, actor: Actor
) -> Appointment:
    """The status undo inside the caller's transaction (``StatusUndo.undo_status`` and the
    undo of a check-in right after it, credit_undo): locks the appointment, checks it may
    be booked again and writes the reverse entry and the audit row. Raises as
    ``undo_status`` does; the caller has checked who may."""
    now = clock.now()
    appt = lock_appointment(session, appointment_id)
    status = AppointmentStatus(appt.status)
    what = UNDOABLE.get(status)
    if what is None:
        label = status.value.replace("_", " ")
        raise InvalidState(
            f"Can't undo: the appointment is {label}. Only a check-in, a no-show "
            "or a late cancel can be undone."
        )
    if status != AppointmentStatus.ATTENDED and was_forgiven(session, appt.id):
        # Booked again, it would hold no credit: its credit went back already.
        raise InvalidState(
            f"Can't undo: this {what} was forgiven and its credit is back on the lot."
        )
    if status == AppointmentStatus.LATE_CANCELLED:
        # The slot was freed by the cancel: it must still be free to book again.
        staff = lock_staff(session, appt.staff_id)
        try:
            check_free(session, staff, appt.starts_at, appt.ends_at, appt.id, clock.tz)
        except Clash as exc:
            raise Clash(
                f"Can't undo the late cancel: the time was booked again. {exc.message}",
                exc.clash,
            ) from None
    before = snapshot(appt)
    appt.status = AppointmentStatus.BOOKED.value
    appt.status_changed_at = now
    appt.status_changed_by_id = actor.staff_id
    appt.status_reason = clean_reason
    if appt.lot_id is not None:
        ledger.reverse_status(
            session,
            appointment_id=appt.id,
            lot_id=appt.lot_id,
            at=now,
            actor=actor,
            reason=f"{what} undone: {clean_reason}",
        )
    waive_open_fee(session, appt.id, at=now, actor=actor, reason=f"{what} undone: {clean_reason}")
    audit.record(
        session,
        at=now,
        actor=actor,
        action="appointment.undo_status",
        entity="appointment",
        entity_id=appt.id,
        member_id=appt.member_id,
        before=before,
        after={**snapshot(appt), "undone": status.value, "reason": clean_reason},
    )
    return appt
