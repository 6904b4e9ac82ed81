"""Moving booked sessions: one, or one and the rest of its series; and moving them back.

Every move, single or series, and its undo go through ``_move_rows``: the same
rules (the staff member is free, the paying lot is still valid on the new date,
the credit stays held), all or nothing in one transaction, one audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import Appointment, AppointmentStatus, AppointmentType, CreditLot
from desk.services.calendar.attendance import Attendance
from desk.services.calendar.availability_rules import offer_slots
from desk.services.calendar.booking_reads import (
    lock_staff,
    long_date,
    require_aware,
    snapshot,
)
from desk.services.calendar.group_sessions import check_moved_in, key_of, promote
from desk.services.calendar.recurrence import shift_wall_clock, wall_clock_shift
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import local_date
from desk.services.core.errors import (
    Clash,
    InvalidState,
    NotFound,
    Unavailable,
    ValidationError,
)
from desk.services.core.ids import AppointmentId, StaffId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import AppointmentView, MovedAppointment, MoveResult
from desk.services.core.retry import retry_transient
from desk.services.records import audit

Target = tuple[Appointment, datetime, int]
"""An appointment row, where it should start, and with whom."""


class Moving(Attendance):
    """The moves of BookingService (which mixes this in)."""

    def reschedule(
        self,
        appointment_id: AppointmentId,
        *,
        starts_at: datetime,
        staff_id: StaffId | None = None,
        actor: Actor,
    ) -> Outcome[AppointmentView]:
        """Move a booked appointment (and optionally to another staff member).

        It keeps its length and the credit that paid for it. Raises Clash (a
        Conflict) when the staff member is busy at the new time, InvalidState
        unless it is booked or when the paying lot expires before the new date,
        ValidationError for a naive time or an inactive staff member, NotFound
        for unknown ids.
        """
        outcome = self.move(appointment_id, starts_at=starts_at, staff_id=staff_id, actor=actor)
        return Outcome(outcome.value.first.after, outcome.changes)

    @retry_transient
    def move(
        self,
        appointment_id: AppointmentId,
        *,
        starts_at: datetime,
        staff_id: StaffId | None = None,
        following: bool = False,
        actor: Actor,
    ) -> Outcome[MoveResult]:
        """Move a booked appointment; with ``following``, every later booked
        occurrence of its series too, by the same shift on the gym's wall clock
        (and to ``staff_id`` when given).

        All or nothing, in one transaction with one audit event; each session
        keeps its length and its credit. The result holds each session before and
        after, which ``undo_move`` takes. Raises Clash (a Conflict) when any
        session would meet another of the staff member's, buffers included,
        Unavailable (a Conflict) when the staff member doesn't work then or
        doesn't deliver its type (for both, ``moving_starts_at`` says which one
        would have; a single move also gets the next free slots), InvalidState
        when the appointment isn't booked, isn't part of a series (with
        ``following``) or a paying lot expires before a new date, ValidationError
        for a naive time or an inactive staff member, NotFound for unknown ids.
        """
        require_aware(starts_at, "starts_at")
        with authorized(self._db, actor, Permission.BOOK) as session:
            appt = self._load_booked(session, appointment_id, "move")
            rows = [appt]
            if following:
                if appt.series_id is None:
                    raise InvalidState("This session is not part of a repeating booking.")
                rows += session.scalars(
                    select(Appointment)
                    .where(
                        Appointment.series_id == appt.series_id,
                        Appointment.starts_at > appt.starts_at,
                        Appointment.status == AppointmentStatus.BOOKED.value,
                    )
                    .order_by(Appointment.starts_at, Appointment.id)
                    .with_for_update()
                ).all()
            tz = self._clock.tz
            shift = wall_clock_shift(appt.starts_at, starts_at, tz)
            targets: list[Target] = [(appt, starts_at, staff_id or appt.staff_id)]
            targets += [
                (row, shift_wall_clock(row.starts_at, shift, tz), staff_id or row.staff_id)
                for row in rows[1:]
            ]
            action = "appointment.reschedule_series" if following else "appointment.reschedule"
            result = self._move_rows(session, targets, actor=actor, action=action)
        return Outcome(result, _changes(result))

    @retry_transient
    def undo_move(self, moved: MoveResult, *, actor: Actor) -> Outcome[MoveResult]:
        """Put the sessions of a move back where they were, by the same rules as a move.

        Each appointment row is locked and must still be booked at the time and
        with the staff member the move left it; if anyone changed one since,
        nothing moves back. One audit event. Raises InvalidState when a session
        was changed since (or was already moved back), Clash when its old time
        has been taken meanwhile, ValidationError when its old staff member is no
        longer on the calendar, NotFound for an appointment that is gone.
        """
        with authorized(self._db, actor, Permission.BOOK) as session:
            targets: list[Target] = []
            for item in moved.moved:
                row = session.scalar(
                    select(Appointment).where(Appointment.id == item.after.id).with_for_update()
                )
                if row is None:
                    raise NotFound(f"There is no appointment #{item.after.id}.")
                after = item.after
                if (
                    row.status != AppointmentStatus.BOOKED.value
                    or row.starts_at != after.starts_at
                    or row.ends_at != after.ends_at
                    or row.staff_id != after.staff_id
                ):
                    raise InvalidState(
                        f"Can't undo the move: {after.member_name}'s {after.appointment_type} "
                        "has been changed since. Nothing was moved back."
                    )
                targets.append((row, item.before.starts_at, item.before.staff_id))
            result = self._move_rows(session, targets, actor=actor, action="appointment.undo_move")
        return Outcome(result, _changes(result))

    # --- the one way a session moves ----------------------------------------------------------

    def _move_rows(
        self, session: Session, targets: Sequence[Target], *, actor: Actor, action: str
    ) -> MoveResult:
        tz = self._clock.tz
        staff = {
            staff_id: lock_staff(session, staff_id)
            for staff_id in sorted({staff_id for _row, _start, staff_id in targets})
        }
        for member in staff.values():
            if not member.active:
                raise ValidationError("staff", f"{member.name} is no longer on the calendar.")
        befores = [self._get(session, row.id) for row, _start, _staff in targets]
        left = [key_of(row) for row, _start, _staff in targets]
        first_before = snapshot(targets[0][0])
        for row, start, staff_id in targets:
            lot = session.get(CreditLot, row.lot_id) if row.lot_id is not None else None
            new_day = local_date(self._clock, start)
            if lot is not None and lot.expires_on is not None and lot.expires_on < new_day:
                when = (
                    ""
                    if len(targets) == 1
                    else f" on {long_date(local_date(self._clock, row.starts_at))}"
                )
                raise InvalidState(
                    f"The credit paying for the session{when} expires on "
                    f"{long_date(lot.expires_on)}, before the new date "
                    f"{long_date(new_day)}. Cancel it and book the new date instead."
                )
            row.ends_at = start + (row.ends_at - row.starts_at)
            row.starts_at = start
            row.staff_id = staff_id
        # Every session is in its new place before any is checked, so sessions of
        # one series moving together don't count as in each other's way.
        session.flush()
        for row, start, staff_id in targets:
            kind = session.get(AppointmentType, row.appointment_type_id)
            assert kind is not None
            try:
                check_moved_in(session, tz, row, staff[staff_id])
            except (Clash, Unavailable) as exc:
                message = exc.message
                if len(targets) > 1:
                    local = start.astimezone(tz)
                    message = (
                        f"The session that would move to {long_date(local.date())} "
                        f"{local:%H:%M} can't: {exc.message} Nothing was moved."
                    )
                refusal: Clash | Unavailable = (
                    Clash(message, exc.clash, moving_starts_at=start)
                    if isinstance(exc, Clash)
                    else Unavailable(message, exc.reason, moving_starts_at=start)
                )
                if len(targets) == 1:
                    length = row.ends_at - row.starts_at
                    offer_slots(
                        session, refusal, kind, staff_id, start, self._clock.now(), tz, length,
                        ignore=row.id,
                    )  # fmt: skip
                raise refusal from None
        first = targets[0][0]
        after: dict[str, Any] = snapshot(first)
        if len(targets) > 1:
            after["also_moved"] = [
                {"id": row.id, "starts_at": row.starts_at, "staff_id": row.staff_id}
                for row, _start, _staff in targets[1:]
            ]
        audit.record(
            session,
            at=self._clock.now(),
            actor=actor,
            action=action,
            entity="appointment",
            entity_id=first.id,
            member_id=first.member_id,
            before=first_before,
            after=after,
        )
        session.flush()
        promoted: list[Appointment] = []
        for key in left:
            coach = staff.get(key.staff_id) or lock_staff(session, key.staff_id)
            promoted += promote(session, self._clock, key, coach, actor=actor)
        return MoveResult(
            [MovedAppointment(before, self._get(session, before.id)) for before in befores],
            [self._get(session, appt.id) for appt in promoted],
        )


def _changes(result: MoveResult) -> Changes:
    promoted = [a.member_id for a in result.promoted]
    return Changes.of(
        appointments=[m.after.id for m in result.moved] + [a.id for a in result.promoted],
        bookings=sorted({m.after.member_id for m in result.moved} | set(promoted)),
        credits=promoted,
    )
