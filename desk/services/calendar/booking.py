"""Booking credits onto times: book, cancel, check in, no-show."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentType,
    Member,
    MemberStatus,
    StaffMember,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.calendar.availability_rules import offer_slots
from desk.services.calendar.booking_limits import check_limits
from desk.services.calendar.booking_reads import (
    BUSY_STATUSES,
    MAX_LENGTH,
    lock_staff,
    long_date,
    require_aware,
)
from desk.services.calendar.group_sessions import (
    SessionKey,
    check_room,
    create_booking,
    member_name,
)
from desk.services.calendar.moving import Moving
from desk.services.calendar.recurrence import Repeat, occurrences
from desk.services.calendar.series_plan import plan_occurrences
from desk.services.calendar.status_undo import StatusUndo
from desk.services.calendar.today import TodayReads
from desk.services.calendar.unpaid_rule import take_or_owe
from desk.services.calendar.waitlist import Waitlist
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, local_date, today
from desk.services.core.errors import (
    Clash,
    InsufficientCredits,
    InvalidState,
    NotFound,
    StartsInThePast,
    Unavailable,
    ValidationError,
)
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.permissions import (
    Permission,
    authorized,
)
from desk.services.core.read_models import (
    AppointmentView,
    OccurrencePlan,
    SeriesResult,
)
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.credits.lot_pick import check_pick, pick_note
from desk.services.people.hold_rules import refuse_on_hold
from desk.services.people.members import load_member


class BookingService(Waitlist, Moving, StatusUndo, TodayReads):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- writes ---------------------------------------------------------------------------

    @retry_transient
    def book(
        self,
        *,
        member_id: MemberId,
        appointment_type_id: AppointmentTypeId,
        staff_id: StaffId,
        starts_at: datetime,
        ends_at: datetime | None = None,
        notes: str = "",
        series_id: str | None = None,
        allow_past: bool = False,
        override_reason: str | None = None,
        lot_id: int | None = None,
        unpaid: bool = False,
        actor: Actor,
    ) -> Outcome[AppointmentView]:
        """Book a member onto a time, paid by one credit of the type.

        The credit comes from the usable lot that expires first (a lot must still
        be valid on the appointment's date), and the appointment remembers that
        lot. ``ends_at`` defaults to the type's duration. A start before now is
        refused with StartsInThePast (a ValidationError) unless ``allow_past`` is
        set (the screen asks first). Raises InsufficientCredits when no credit is
        open; Clash (a Conflict) when the staff member is busy then, buffers
        included; Unavailable (a Conflict) when they don't work then or don't
        deliver the type; both carry the next free slots with them. Sooner than
        the type's minimum notice or beyond its horizon raises BookingRuleWarning
        unless ``override_reason`` is given by a role that may override
        (PermissionDenied otherwise; the reason is audited). With ``unpaid`` a
        booking no credit covers is made unpaid instead (unpaid_rule: PermissionDenied
        for a role that may not). ValidationError for a bad time, an archived member
        or an inactive type or staff member, NotFound for unknown ids. ``lot_id`` is a
        lot staff picked to pay instead (ValidationError naming it when it can't pay
        then; lot_pick.check_pick).
        """
        require_aware(starts_at, "starts_at")
        self._refuse_past(starts_at, allow_past)
        clean_notes = clean_text(notes, "notes", max_length=MAX_TEXT)
        with authorized(self._db, actor, Permission.BOOK) as session:
            member, kind, staff = self._parties(session, member_id, appointment_type_id, staff_id)
            end = ends_at if ends_at is not None else starts_at + kind.duration
            now, tz = self._clock.now(), self._clock.tz
            extra = check_limits(
                session, actor, kind, starts_at, starts_at, now, tz, override_reason
            )
            self._check_pick(session, member, kind, lot_id, starts_at)
            try:
                appt = self._book(
                    session, member, kind, staff, starts_at, end, clean_notes, series_id, actor,
                    extra, lot_id, unpaid,
                )  # fmt: skip
            except (Clash, Unavailable) as exc:
                offer_slots(session, exc, kind, staff.id, starts_at, now, tz, end - starts_at)
                raise
            view = self._get(session, appt.id)
        return Outcome(
            view,
            Changes.of(credits=[view.member_id], appointments=[view.id], bookings=[view.member_id]),
        )

    def plan_series(
        self,
        *,
        member_id: MemberId,
        appointment_type_id: AppointmentTypeId,
        staff_id: StaffId,
        starts_at: datetime,
        duration: timedelta | None = None,
        repeat: Repeat | None = None,
        lot_id: int | None = None,
    ) -> list[OccurrencePlan]:
        """What booking a (possibly recurring) session would do, without booking.

        Each occurrence says whether the staff member is free then (the same
        rules as ``book``: their hours, the types they deliver, buffers) and which lot
        would pay for it (the usable lot expiring first, taking earlier
        occurrences into account), or that no credit covers it; ``lot_id`` (a lot
        staff picked) pays while it can, as in ``book_series``. Raises
        ValidationError for a bad pattern, NotFound for unknown ids.
        """
        with self._db.read() as session:
            member, kind, staff = self._parties(session, member_id, appointment_type_id, staff_id)
            length = duration or kind.duration
            starts = occurrences(starts_at, repeat, self._clock.tz)
            return self._plan(session, member, kind, staff, starts, length, lot_id)

    @retry_transient
    def book_series(
        self,
        *,
        member_id: MemberId,
        appointment_type_id: AppointmentTypeId,
        staff_id: StaffId,
        starts_at: datetime,
        duration: timedelta | None = None,
        repeat: Repeat | None = None,
        notes: str = "",
        allow_past: bool = False,
        override_reason: str | None = None,
        lot_id: int | None = None,
        unpaid: bool = False,
        actor: Actor,
    ) -> Outcome[SeriesResult]:
        """Book every occurrence of a pattern that is free and covered by a credit
        (with ``unpaid``: every free one, those no credit covers unpaid, as ``book``).

        One transaction: the occurrences that clash with the staff member's
        calendar or that no credit covers are returned as skipped, not booked
        (the booking dialog shows them beforehand with ``plan_series``). All
        booked occurrences share a series id. An occurrence before now is refused
        (StartsInThePast, nothing booked) unless ``allow_past`` is set. The
        type's notice (first occurrence) and horizon (last) are checked as in
        ``book`` (BookingRuleWarning, ``override_reason``). A picked ``lot_id``
        must be able to pay for the first occurrence (ValidationError naming it)
        and pays each occurrence while it lasts, the usual order after. Raises
        ValidationError for a bad pattern or an archived member, NotFound for
        unknown ids.
        """
        clean_notes = clean_text(notes, "notes", max_length=MAX_TEXT)
        require_aware(starts_at, "starts_at")
        self._refuse_past(starts_at, allow_past)
        series_id = str(uuid.uuid4()) if repeat is not None else None
        booked: list[AppointmentView] = []
        skipped: list[OccurrencePlan] = []
        with authorized(self._db, actor, Permission.BOOK) as session:
            member, kind, staff = self._parties(session, member_id, appointment_type_id, staff_id)
            length = duration or kind.duration
            starts = occurrences(starts_at, repeat, self._clock.tz)
            extra = check_limits(
                session, actor, kind, min(starts), max(starts), self._clock.now(),
                self._clock.tz, override_reason,
            ) if starts else None  # fmt: skip
            plans = self._plan(session, member, kind, staff, starts, length, lot_id)
            if starts:
                self._check_pick(session, member, kind, lot_id, min(starts))
            for plan in plans:
                if not (plan.bookable or (unpaid and plan.conflict is None)):
                    skipped.append(plan)
                    continue
                appt = self._book(
                    session,
                    member,
                    kind,
                    staff,
                    plan.starts_at,
                    plan.ends_at,
                    clean_notes,
                    series_id,
                    actor,
                    extra,
                    lot_id if plan.lot_id == lot_id else None,  # the pick while it lasts
                    unpaid,
                )
                booked.append(self._get(session, appt.id))
        result = SeriesResult(booked=booked, skipped=skipped, series_id=series_id)
        changes = (
            Changes.of(
                credits=[member_id],
                appointments=[a.id for a in booked],
                bookings=[member_id],
            )
            if booked
            else Changes()
        )
        return Outcome(result, changes)

    @retry_transient
    def add_to_series(
        self,
        appointment_id: AppointmentId,
        *,
        member_id: MemberId,
        actor: Actor,
    ) -> Outcome[SeriesResult]:
        """Add a member to a repeating group session's standing roster: book them
        into the session of ``appointment_id`` and every later occurrence of its
        series, each paid by their own credit, as one repeating booking of theirs.

        Occurrences that are full, that the member is already in or that no credit
        covers are returned as skipped. One transaction. Raises InvalidState when
        the appointment is not part of a repeating booking, ValidationError for an
        archived member, NotFound for unknown ids.
        """
        series_id = str(uuid.uuid4())
        booked: list[AppointmentView] = []
        skipped: list[OccurrencePlan] = []
        with authorized(self._db, actor, Permission.BOOK) as session:
            first = session.get(Appointment, appointment_id)
            if first is None:
                raise NotFound(f"There is no appointment #{appointment_id}.")
            if first.series_id is None:
                raise InvalidState("This session is not part of a repeating booking.")
            member, kind, staff = self._parties(
                session, member_id, first.appointment_type_id, first.staff_id
            )
            times = sorted(
                {
                    (row.starts_at, row.ends_at)
                    for row in session.scalars(
                        select(Appointment).where(
                            Appointment.series_id == first.series_id,
                            Appointment.starts_at >= first.starts_at,
                            Appointment.status.in_(BUSY_STATUSES),
                        )
                    )
                    if row.starts_at >= self._clock.now()
                }
            )
            for start, end in times:
                [plan] = self._plan(session, member, kind, staff, [start], end - start)
                if not plan.bookable:
                    skipped.append(plan)
                    continue
                appt = self._book(session, member, kind, staff, start, end, "", series_id, actor)
                booked.append(self._get(session, appt.id))
        result = SeriesResult(booked=booked, skipped=skipped, series_id=series_id)
        ids = [a.id for a in booked]
        changes = (
            Changes.of(credits=[member_id], appointments=ids, bookings=[member_id])
            if booked
            else Changes()
        )
        return Outcome(result, changes)

    # --- shared steps of booking ---------------------------------------------------------------

    def _parties(
        self, session: Session, member_id: int, type_id: int, staff_id: int
    ) -> tuple[Member, AppointmentType, StaffMember]:
        member = load_member(session, member_id)
        kind = load_type(session, type_id)
        staff = self._lock_staff(session, staff_id)
        name = f"{member.first_name} {member.last_name}".strip()
        if member.status != MemberStatus.ACTIVE.value:
            raise ValidationError("member", f"{name} is archived; reactivate them to book.")
        if not kind.active:
            raise ValidationError("appointment_type", f"{kind.name} is no longer offered.")
        if not staff.active:
            raise ValidationError("staff", f"{staff.name} is no longer on the calendar.")
        return member, kind, staff

    def _refuse_past(self, starts_at: datetime, allow_past: bool) -> None:
        now = self._clock.now()
        if allow_past or starts_at >= now:
            return
        local = starts_at.astimezone(self._clock.tz)
        raise StartsInThePast(
            f"{local:%H:%M} on {long_date(local.date())} has already passed. "
            "Book a session in the past only to record one that happened: confirm to go ahead."
        )

    @staticmethod
    def _lock_staff(session: Session, staff_id: int) -> StaffMember:
        return lock_staff(session, staff_id)

    def _book(
        self,
        session: Session,
        member: Member,
        kind: AppointmentType,
        staff: StaffMember,
        starts_at: datetime,
        end: datetime,
        notes: str,
        series_id: str | None,
        actor: Actor,
        extra: dict[str, str] | None = None,
        pick: int | None = None,
        unpaid: bool = False,
    ) -> Appointment:
        require_aware(end, "ends_at")
        if end <= starts_at:
            raise ValidationError("ends_at", "The appointment must end after it starts.")
        if end - starts_at > MAX_LENGTH:
            raise ValidationError("ends_at", "An appointment can last at most 12 hours.")
        key = SessionKey(staff.id, kind.id, starts_at, end)
        refuse_on_hold(session, self._clock.tz, member, starts_at)
        check_room(session, self._clock.tz, member, kind, staff, key)
        day = local_date(self._clock, starts_at)
        usable_on = max(day, today(self._clock))
        extra = {**(extra or {}), **pick_note(session, member.id, kind.id, usable_on, pick)}
        lot_id = ledger.take_one(session, member.id, kind.id, usable_on, pick, day)
        if lot_id is None and unpaid:  # None again: booked unpaid, owing its credit
            lot_id = take_or_owe(session, actor, member.id, kind.id, usable_on)
        elif lot_id is None:
            raise InsufficientCredits(
                f"{member_name(member)} has no open {kind.name} credit for "
                f"{long_date(local_date(self._clock, starts_at))}."
            )
        return create_booking(
            session,
            self._clock,
            member_id=member.id,
            kind=kind,
            staff_id=staff.id,
            key=key,
            lot_id=lot_id,
            notes=notes,
            series_id=series_id,
            actor=actor,
            extra=extra,
        )

    def _check_pick(self, session: Session, member: Member, kind: AppointmentType,
                    lot_id: int | None, starts_at: datetime) -> None:  # fmt: skip
        if lot_id is not None:
            day = local_date(self._clock, starts_at)
            usable_on = max(day, today(self._clock))
            check_pick(session, member.id, kind, lot_id, usable_on, long_date(day))

    def _plan(self, session: Session, member: Member, kind: AppointmentType, staff: StaffMember,
              starts: list[datetime], length: timedelta, pick: int | None = None,
              ) -> list[OccurrencePlan]:  # fmt: skip
        return plan_occurrences(session, self._clock, member, kind, staff, starts, length, pick)
