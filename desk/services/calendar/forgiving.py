"""Forgiving a late cancel or no-show afterwards: the status stays, the credit comes back.

Not the same as undoing the status (status_undo.py): the appointment stays late
cancelled or a no-show, so reports and the history still show what happened;
only its credit goes back to the lot that paid, by a release entry naming the
appointment. An appointment has at most one release, so a forgiven one can't be
forgiven twice, and a late cancel whose credit was returned at the time has
nothing left to forgive.

A credit forgiven onto a lot whose date has passed returns to that lot and
expires with it: the balances count it as expired at once and the next expiry
run writes it off. Forgiving never moves a credit to another lot, so the lot's
price, and what each of its credits is worth, stays the lot's.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desk.models import AppointmentStatus, CreditEntry, CreditLot, EntryKind
from desk.services.calendar.booking_reads import BookingReads, lock_appointment, snapshot
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.core.ids import AppointmentId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import AppointmentView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.records import audit
from desk.services.selling.fees import waive_open_fee

# What the desk calls each status that can be forgiven.
FORGIVABLE = {
    AppointmentStatus.NO_SHOW: "no-show",
    AppointmentStatus.LATE_CANCELLED: "late cancel",
}


def was_forgiven(session: Session, appointment_id: int) -> bool:
    """Whether a late-cancelled or no-show appointment's credit has come back (a release)."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    CreditEntry.appointment_id == appointment_id,
                    CreditEntry.kind == EntryKind.RELEASE.value,
                )
            )
        )
    )


class Forgiving(BookingReads):
    """Forgive a late cancel or no-show: the part of BookingService an owner or admin uses."""

    @retry_transient
    def forgive(
        self, appointment_id: AppointmentId, *, reason: str, actor: Actor
    ) -> Outcome[AppointmentView]:
        """Give a late-cancelled or no-show appointment's credit back to the lot that paid.

        The appointment keeps its status; a release entry linked to it, with the
        reason, returns the credit (to a lot past its date too: it expires with
        that lot), and its late-cancel or no-show fee, if any, is waived. The
        appointment row is locked before anything is read, so of several desks
        forgiving at once one forgives and the others are refused.
        Raises ValidationError without a reason, InvalidState when the status is
        not late cancelled or no-show, when no credit paid for it, when it was
        forgiven already (or its credit returned when it was cancelled) or when
        the lot was voided; PermissionDenied for anyone but an owner or admin;
        NotFound for an unknown appointment.
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not clean_reason:
            raise ValidationError("reason", "Say why the credit is being given back.")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.FORGIVE) as session:
            appt = lock_appointment(session, appointment_id)
            status = AppointmentStatus(appt.status)
            what = FORGIVABLE.get(status)
            if what is None:
                label = status.value.replace("_", " ")
                raise InvalidState(
                    f"Can't forgive: the appointment is {label}. Only a late cancel or a "
                    "no-show can be forgiven."
                )
            if appt.lot_id is None:
                raise InvalidState(f"Can't forgive: no credit paid for this {what}.")
            if was_forgiven(session, appt.id):
                raise InvalidState(f"This {what} was forgiven already: its credit is back.")
            voided = session.scalar(select(CreditLot.voided_at).where(CreditLot.id == appt.lot_id))
            if voided is not None:
                raise InvalidState("Can't forgive: the credits that paid were voided.")
            ledger.release(
                session,
                lot_id=appt.lot_id,
                appointment_id=appt.id,
                at=now,
                actor=actor,
                reason=f"{what} forgiven: {clean_reason}",
            )
            # Forgiven, the late cancel or no-show costs nothing: its fee is waived too.
            waive_open_fee(session, appt.id, at=now, actor=actor,
                           reason=f"{what} forgiven: {clean_reason}")  # fmt: skip
            audit.record(
                session,
                at=now,
                actor=actor,
                action="appointment.forgive",
                entity="appointment",
                entity_id=appt.id,
                member_id=appt.member_id,
                before=snapshot(appt),
                after={**snapshot(appt), "forgiven": status.value, "reason": clean_reason},
            )
            view = self._get(session, appt.id)
        return Outcome(
            view,
            Changes.of(credits=[view.member_id], appointments=[view.id], bookings=[view.member_id]),
        )
