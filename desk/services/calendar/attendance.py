"""After booking: cancel (credit back or forfeited), check in, no-show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from desk.models import (
    Appointment,
    AppointmentStatus,
    Member,
    StaffMember,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.calendar.booking_reads import (
    BookingReads,
    check_in_opens_at,
    lock_appointment,
    lock_staff,
    long_date,
    snapshot,
)
from desk.services.calendar.group_sessions import key_of, promote
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.errors import (
    InvalidState,
    ValidationError,
)
from desk.services.core.ids import AppointmentId
from desk.services.core.permissions import (
    Permission,
    authorize,
    authorized,
    require_own_appointment,
)
from desk.services.core.read_models import (
    AppointmentView,
    CancelResult,
)
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.records import audit
from desk.services.selling.fees import settle_status


class Attendance(BookingReads):
    """Cancel, check in and no-show: the part of BookingService after a booking."""

    @retry_transient
    def cancel(
        self,
        appointment_id: AppointmentId,
        *,
        return_credit: bool = False,
        reason: str = "",
        actor: Actor,
    ) -> Outcome[CancelResult]:
        """Cancel a booked appointment.

        Outside the type's late-cancel window the credit goes back to the lot
        that paid. Inside it the credit is forfeited, unless ``return_credit`` is
        set with a ``reason`` (a staff override). Raises InvalidState unless the
        appointment is booked, ValidationError for an override without a reason,
        NotFound for an unknown appointment.
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.BOOK) as session:
            appt = self._load_booked(session, appointment_id, "cancel")
            staff = lock_staff(session, appt.staff_id)  # its place may go to the waitlist
            kind = load_type(session, appt.appointment_type_id)
            late = self._is_late(appt, kind, now)
            if late and return_credit and not clean_reason:
                raise ValidationError("reason", "Returning a late-cancelled credit needs a reason.")
            give_back = not late or return_credit
            before = snapshot(appt)
            appt.status = (
                AppointmentStatus.CANCELLED.value
                if give_back
                else AppointmentStatus.LATE_CANCELLED.value
            )
            appt.status_changed_at = now
            appt.status_changed_by_id = actor.staff_id
            appt.status_reason = clean_reason
            if not give_back:  # forfeit (or a fee instead) and the type's fee: fees.py
                settle_status(session, appt, kind, AppointmentStatus.LATE_CANCELLED, at=now,
                              actor=actor, reason=clean_reason or "late cancel")  # fmt: skip
            elif appt.lot_id is not None:
                ledger.release(session, lot_id=appt.lot_id, appointment_id=appt.id, at=now,
                               actor=actor, reason=clean_reason)  # fmt: skip
            audit.record(
                session,
                at=now,
                actor=actor,
                action="appointment.cancel",
                entity="appointment",
                entity_id=appt.id,
                member_id=appt.member_id,
                before=before,
                after={
                    **snapshot(appt),
                    "late": late,
                    "credit_returned": give_back,
                    "reason": clean_reason,
                },
            )
            session.flush()
            promoted = promote(session, self._clock, key_of(appt), staff, actor=actor)
            result = CancelResult(self._get(session, appt.id), late=late, credit_returned=give_back)
            members = [appt.member_id, *(p.member_id for p in promoted)]
            ids = [appointment_id, *(p.id for p in promoted)]
        return Outcome(result, Changes.of(credits=members, appointments=ids, bookings=members))

    @retry_transient
    def check_in(self, appointment_id: AppointmentId, *, actor: Actor) -> Outcome[AppointmentView]:
        """Mark a booked appointment attended (the credit counts as used).

        Check-in opens the gym's ``check_in_opens_minutes`` (settings) before the
        start and is for today's sessions only (the gym's local day). Raises
        InvalidState unless it is booked, for a session on another day or before
        check-in opens (the message says when it opens, in local time); NotFound
        for an unknown id.
        """
        return self._finish(appointment_id, AppointmentStatus.ATTENDED, actor)

    @retry_transient
    def no_show(self, appointment_id: AppointmentId, *, actor: Actor) -> Outcome[AppointmentView]:
        """Mark a booked appointment a no-show; its credit is forfeited.

        Raises InvalidState unless it is booked and has started, NotFound for an
        unknown id.
        """
        return self._finish(appointment_id, AppointmentStatus.NO_SHOW, actor)

    def _finish(
        self, appointment_id: AppointmentId, status: AppointmentStatus, actor: Actor
    ) -> Outcome[AppointmentView]:
        now = self._clock.now()
        verb = "check in" if status == AppointmentStatus.ATTENDED else "mark as no-show"
        with self._db.write() as session:
            role = authorize(session, actor, Permission.CHECK_IN)
            require_own_appointment(session, role, actor, appointment_id)
            appt = self._load_booked(session, appointment_id, verb)
            if status == AppointmentStatus.NO_SHOW and now < appt.starts_at:
                raise InvalidState("An appointment can't be a no-show before it starts.")
            if status == AppointmentStatus.ATTENDED:
                self._require_check_in_open(session, appt, now)
            before = snapshot(appt)
            appt.status = status.value
            appt.status_changed_at = now
            appt.status_changed_by_id = actor.staff_id
            if status == AppointmentStatus.NO_SHOW:  # forfeit (or a fee instead), fee: fees.py
                kind = load_type(session, appt.appointment_type_id)
                settle_status(session, appt, kind, status, at=now, actor=actor, reason="no-show")
            audit.record(
                session,
                at=now,
                actor=actor,
                action=f"appointment.{status.value}",
                entity="appointment",
                entity_id=appt.id,
                member_id=appt.member_id,
                before=before,
                after=snapshot(appt),
            )
            session.flush()
            view = self._get(session, appt.id)
        return Outcome(
            view,
            Changes.of(credits=[view.member_id], appointments=[view.id], bookings=[view.member_id]),
        )

    def _require_check_in_open(self, session: Session, appt: Appointment, now: datetime) -> None:
        """Refuse a check-in on another local day than today, or before it opens."""
        tz = self._clock.tz
        start = appt.starts_at.astimezone(tz)
        day = start.date()
        member = session.get(Member, appt.member_id)
        coach = session.get(StaffMember, appt.staff_id)
        who = f"{member.first_name} {member.last_name}".strip() if member else "this member"
        session_name = f"{who}'s {start:%H:%M} session" + (f" with {coach.name}" if coach else "")
        today = now.astimezone(tz).date()
        if day != today:
            when = "was" if day < today else "is"
            raise InvalidState(
                f"Can't check in: {session_name} {when} on {long_date(day)}, not today. "
                "Check-in is only for today's sessions."
            )
        opens = check_in_opens_at(session, appt.starts_at)
        if now < opens:
            raise InvalidState(
                f"Check-in for {session_name} opens at {opens.astimezone(tz):%H:%M}."
            )

    @staticmethod
    def _load_booked(session: Session, appointment_id: int, verb: str) -> Appointment:
        appt = lock_appointment(session, appointment_id)
        if appt.status != AppointmentStatus.BOOKED.value:
            label = AppointmentStatus(appt.status).value.replace("_", " ")
            raise InvalidState(f"Can't {verb}: the appointment is already {label}.")
        return appt
