"""Booking credits onto times: book, cancel, check in, no-show."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditLot,
    EntryKind,
    Member,
    MemberStatus,
    StaffMember,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.calendar.recurrence import Repeat, occurrences
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, local_date, today
from desk.services.core.errors import (
    Conflict,
    InsufficientCredits,
    InvalidState,
    NotFound,
    ValidationError,
)
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.permissions import (
    Permission,
    authorize,
    authorized,
    require_own_appointment,
)
from desk.services.core.read_models import (
    AppointmentView,
    CancelResult,
    OccurrencePlan,
    SeriesResult,
)
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.credits.paying_lot import choose_lot, spend
from desk.services.people.members import load_member
from desk.services.records import audit

MAX_LENGTH = timedelta(hours=12)

# Statuses that occupy the staff member's time (a cancelled slot is free again).
BUSY_STATUSES = (
    AppointmentStatus.BOOKED.value,
    AppointmentStatus.ATTENDED.value,
    AppointmentStatus.NO_SHOW.value,
)


def _views_query() -> Select[Appointment, str, str, str, str, str]:
    return (
        select(
            Appointment,
            Member.first_name,
            Member.last_name,
            AppointmentType.name,
            AppointmentType.color,
            StaffMember.name,
        )
        .join(Member, Member.id == Appointment.member_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .join(StaffMember, StaffMember.id == Appointment.staff_id)
    )


def _view(row: tuple[Appointment, str, str, str, str, str]) -> AppointmentView:
    appt, first, last, type_name, color, staff_name = row
    return AppointmentView(
        id=appt.id,
        member_id=appt.member_id,
        member_name=f"{first} {last}".strip(),
        appointment_type_id=appt.appointment_type_id,
        appointment_type=type_name,
        color=color,
        staff_id=appt.staff_id,
        staff_name=staff_name,
        starts_at=appt.starts_at,
        ends_at=appt.ends_at,
        status=AppointmentStatus(appt.status),
        lot_id=appt.lot_id,
        series_id=appt.series_id,
        notes=appt.notes,
    )


def _snapshot(appt: Appointment) -> dict[str, Any]:
    return {
        "member_id": appt.member_id,
        "appointment_type_id": appt.appointment_type_id,
        "staff_id": appt.staff_id,
        "starts_at": appt.starts_at,
        "ends_at": appt.ends_at,
        "status": appt.status,
        "lot_id": appt.lot_id,
    }


def _require_aware(moment: datetime, field: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValidationError(field, "A time must carry its time zone.")
    return moment


class BookingService:
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
        actor: Actor,
    ) -> Outcome[AppointmentView]:
        """Book a member onto a time, paid by one credit of the type.

        The credit comes from the usable lot that expires first (a lot must still
        be valid on the appointment's date), and the appointment remembers that
        lot. ``ends_at`` defaults to the type's duration. Raises
        InsufficientCredits when no credit is open, Conflict when the staff member
        is busy then, ValidationError for a bad time, an archived member or an
        inactive type or staff member, NotFound for unknown ids.
        """
        _require_aware(starts_at, "starts_at")
        clean_notes = clean_text(notes, "notes", max_length=MAX_TEXT)
        with authorized(self._db, actor, Permission.BOOK) as session:
            member, kind, staff = self._parties(session, member_id, appointment_type_id, staff_id)
            end = ends_at if ends_at is not None else starts_at + kind.duration
            appt = self._book(
                session, member, kind, staff, starts_at, end, clean_notes, series_id, actor
            )
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
    ) -> list[OccurrencePlan]:
        """What booking a (possibly recurring) session would do, without booking.

        Each occurrence says whether the staff member is free then and which lot
        would pay for it (the usable lot expiring first, taking earlier
        occurrences into account), or that no credit covers it. Raises
        ValidationError for a bad pattern, NotFound for unknown ids.
        """
        with self._db.read() as session:
            _member, kind, staff = self._parties(session, member_id, appointment_type_id, staff_id)
            length = duration or kind.duration
            starts = occurrences(starts_at, repeat, self._clock.tz)
            return self._plan(session, member_id, kind, staff, starts, length)

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
        actor: Actor,
    ) -> Outcome[SeriesResult]:
        """Book every occurrence of a pattern that is free and covered by a credit.

        One transaction: the occurrences that clash with the staff member's
        calendar or that no credit covers are returned as skipped, not booked
        (the booking dialog shows them beforehand with ``plan_series``). All
        booked occurrences share a series id. Raises ValidationError for a bad
        pattern or an archived member, NotFound for unknown ids.
        """
        clean_notes = clean_text(notes, "notes", max_length=MAX_TEXT)
        series_id = str(uuid.uuid4()) if repeat is not None else None
        booked: list[AppointmentView] = []
        skipped: list[OccurrencePlan] = []
        with authorized(self._db, actor, Permission.BOOK) as session:
            member, kind, staff = self._parties(session, member_id, appointment_type_id, staff_id)
            length = duration or kind.duration
            starts = occurrences(starts_at, repeat, self._clock.tz)
            for plan in self._plan(session, member.id, kind, staff, starts, length):
                if not plan.bookable:
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
    def reschedule(
        self,
        appointment_id: AppointmentId,
        *,
        starts_at: datetime,
        staff_id: StaffId | None = None,
        actor: Actor,
    ) -> Outcome[AppointmentView]:
        """Move a booked appointment (and optionally to another staff member).

        It keeps its length and the credit that paid for it. Raises Conflict when
        the staff member is busy at the new time, InvalidState unless it is booked
        or when the paying lot expires before the new date, ValidationError for a
        naive time or an inactive staff member, NotFound for unknown ids.
        """
        _require_aware(starts_at, "starts_at")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.BOOK) as session:
            appt = self._load_booked(session, appointment_id, "move")
            staff = self._lock_staff(session, staff_id or appt.staff_id)
            if not staff.active:
                raise ValidationError("staff", f"{staff.name} is no longer on the calendar.")
            end = starts_at + (appt.ends_at - appt.starts_at)
            self._check_free(session, staff, starts_at, end, ignore=appt.id)
            new_day = local_date(self._clock, starts_at)
            lot = session.get(CreditLot, appt.lot_id) if appt.lot_id is not None else None
            if lot is not None and lot.expires_on is not None and lot.expires_on < new_day:
                raise InvalidState(
                    f"The credit paying for this session expires on {lot.expires_on.isoformat()}, "
                    "before the new date. Cancel it and book the new date instead."
                )
            before = _snapshot(appt)
            appt.starts_at = starts_at
            appt.ends_at = end
            appt.staff_id = staff.id
            audit.record(
                session,
                at=now,
                actor=actor,
                action="appointment.reschedule",
                entity="appointment",
                entity_id=appt.id,
                member_id=appt.member_id,
                before=before,
                after=_snapshot(appt),
            )
            session.flush()
            view = self._get(session, appt.id)
        return Outcome(view, Changes.of(appointments=[view.id], bookings=[view.member_id]))

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

    @staticmethod
    def _lock_staff(session: Session, staff_id: int) -> StaffMember:
        # Lock the staff row on servers so two desks can't both see a free slot.
        staff = session.scalar(
            select(StaffMember).where(StaffMember.id == staff_id).with_for_update()
        )
        if staff is None:
            raise NotFound(f"There is no staff member #{staff_id}.")
        return staff

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
    ) -> Appointment:
        _require_aware(end, "ends_at")
        if end <= starts_at:
            raise ValidationError("ends_at", "The appointment must end after it starts.")
        if end - starts_at > MAX_LENGTH:
            raise ValidationError("ends_at", "An appointment can last at most 12 hours.")
        self._check_free(session, staff, starts_at, end, ignore=None)
        usable_on = max(local_date(self._clock, starts_at), today(self._clock))
        lot_id = ledger.take_one(session, member.id, kind.id, usable_on)
        if lot_id is None:
            name = f"{member.first_name} {member.last_name}".strip()
            raise InsufficientCredits(
                f"{name} has no open {kind.name} credit for "
                f"{local_date(self._clock, starts_at).isoformat()}."
            )
        now = self._clock.now()
        appt = Appointment(
            member_id=member.id,
            appointment_type_id=kind.id,
            staff_id=staff.id,
            starts_at=starts_at,
            ends_at=end,
            status=AppointmentStatus.BOOKED.value,
            lot_id=lot_id,
            series_id=series_id,
            notes=notes,
            created_at=now,
            created_by_id=actor.staff_id,
        )
        session.add(appt)
        session.flush()
        ledger.post(
            session,
            lot_id=lot_id,
            kind=EntryKind.BOOK,
            delta=-1,
            at=now,
            actor=actor,
            appointment_id=appt.id,
        )
        audit.record(
            session,
            at=now,
            actor=actor,
            action="appointment.book",
            entity="appointment",
            entity_id=appt.id,
            member_id=member.id,
            after=_snapshot(appt),
        )
        return appt

    def _plan(
        self,
        session: Session,
        member_id: int,
        kind: AppointmentType,
        staff: StaffMember,
        starts: list[datetime],
        length: timedelta,
    ) -> list[OccurrencePlan]:
        on = today(self._clock)
        lots = ledger.usable_choices(session, member_id, kind.id, on)
        plans: list[OccurrencePlan] = []
        for start in sorted(starts):
            end = start + length
            conflict = None
            try:
                self._check_free(session, staff, start, end, ignore=None)
            except Conflict as exc:
                conflict = exc.message
            day = max(local_date(self._clock, start), on)
            paying = None
            if conflict is None:
                # The same choice book() makes, occurrence by occurrence, spending
                # the plan's own credits as it goes (nothing is written).
                chosen = choose_lot(lots, day)
                if chosen is not None:
                    paying = chosen.id
                    lots = spend(lots, chosen, 1)
            plans.append(OccurrencePlan(start, end, paying, conflict))
        return plans

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
            kind = load_type(session, appt.appointment_type_id)
            late = self._is_late(appt, kind, now)
            if late and return_credit and not clean_reason:
                raise ValidationError("reason", "Returning a late-cancelled credit needs a reason.")
            give_back = not late or return_credit
            before = _snapshot(appt)
            appt.status = (
                AppointmentStatus.CANCELLED.value
                if give_back
                else AppointmentStatus.LATE_CANCELLED.value
            )
            appt.status_changed_at = now
            appt.status_changed_by_id = actor.staff_id
            appt.status_reason = clean_reason
            if appt.lot_id is not None:
                if give_back:
                    ledger.give(session, appt.lot_id, 1)
                    ledger.post(
                        session,
                        lot_id=appt.lot_id,
                        kind=EntryKind.RELEASE,
                        delta=1,
                        at=now,
                        actor=actor,
                        reason=clean_reason,
                        appointment_id=appt.id,
                    )
                else:
                    ledger.post(
                        session,
                        lot_id=appt.lot_id,
                        kind=EntryKind.FORFEIT,
                        delta=0,
                        at=now,
                        actor=actor,
                        reason=clean_reason or "late cancel",
                        appointment_id=appt.id,
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
                after={
                    **_snapshot(appt),
                    "late": late,
                    "credit_returned": give_back,
                    "reason": clean_reason,
                },
            )
            session.flush()
            result = CancelResult(self._get(session, appt.id), late=late, credit_returned=give_back)
            member_id = appt.member_id
        return Outcome(
            result,
            Changes.of(credits=[member_id], appointments=[appointment_id], bookings=[member_id]),
        )

    @retry_transient
    def check_in(self, appointment_id: AppointmentId, *, actor: Actor) -> Outcome[AppointmentView]:
        """Mark a booked appointment attended (the credit counts as used).

        Raises InvalidState unless it is booked, NotFound for an unknown id.
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
            before = _snapshot(appt)
            appt.status = status.value
            appt.status_changed_at = now
            appt.status_changed_by_id = actor.staff_id
            if status == AppointmentStatus.NO_SHOW and appt.lot_id is not None:
                ledger.post(
                    session,
                    lot_id=appt.lot_id,
                    kind=EntryKind.FORFEIT,
                    delta=0,
                    at=now,
                    actor=actor,
                    reason="no-show",
                    appointment_id=appt.id,
                )
            audit.record(
                session,
                at=now,
                actor=actor,
                action=f"appointment.{status.value}",
                entity="appointment",
                entity_id=appt.id,
                member_id=appt.member_id,
                before=before,
                after=_snapshot(appt),
            )
            session.flush()
            view = self._get(session, appt.id)
        return Outcome(
            view,
            Changes.of(credits=[view.member_id], appointments=[view.id], bookings=[view.member_id]),
        )

    # --- reads ----------------------------------------------------------------------------

    def get(self, appointment_id: AppointmentId) -> AppointmentView:
        """One appointment. Raises NotFound."""
        with self._db.read() as session:
            return self._get(session, appointment_id)

    def is_late_cancel(self, appointment_id: AppointmentId) -> bool:
        """Whether cancelling now would fall inside the late-cancel window. Raises NotFound."""
        with self._db.read() as session:
            appt = session.get(Appointment, appointment_id)
            if appt is None:
                raise NotFound(f"There is no appointment #{appointment_id}.")
            return self._is_late(
                appt, load_type(session, appt.appointment_type_id), self._clock.now()
            )

    def for_member(
        self, member_id: MemberId, *, upcoming_only: bool = False, limit: int = 500
    ) -> list[AppointmentView]:
        """A member's appointments: upcoming ones soonest first, else all newest first."""
        query = _views_query().where(Appointment.member_id == member_id)
        if upcoming_only:
            query = query.where(
                Appointment.ends_at >= self._clock.now(),
                Appointment.status == AppointmentStatus.BOOKED.value,
            ).order_by(Appointment.starts_at)
        else:
            query = query.order_by(Appointment.starts_at.desc())
        with self._db.read() as session:
            return [_view(row) for row in session.execute(query.limit(limit))]

    def in_range(
        self, start: datetime, end: datetime, *, staff_ids: list[int] | None = None
    ) -> list[AppointmentView]:
        """Appointments overlapping [start, end), by start time."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        query = (
            _views_query()
            .where(
                Appointment.starts_at < end,
                Appointment.ends_at > start,
                # A lower bound on starts_at lets the index read only this range:
                # nothing lasts longer than MAX_LENGTH, so nothing earlier overlaps.
                Appointment.starts_at > start - MAX_LENGTH,
            )
            .order_by(Appointment.starts_at, Appointment.id)
        )
        if staff_ids is not None:
            query = query.where(Appointment.staff_id.in_(staff_ids))
        with self._db.read() as session:
            return [_view(row) for row in session.execute(query)]

    # --- helpers --------------------------------------------------------------------------

    @staticmethod
    def _is_late(appt: Appointment, kind: AppointmentType, now: datetime) -> bool:
        return now >= appt.starts_at - timedelta(hours=kind.late_cancel_hours)

    @staticmethod
    def _get(session: Session, appointment_id: int) -> AppointmentView:
        row = session.execute(_views_query().where(Appointment.id == appointment_id)).first()
        if row is None:
            raise NotFound(f"There is no appointment #{appointment_id}.")
        return _view(row)

    @staticmethod
    def _load_booked(session: Session, appointment_id: int, verb: str) -> Appointment:
        appt = session.scalar(
            select(Appointment).where(Appointment.id == appointment_id).with_for_update()
        )
        if appt is None:
            raise NotFound(f"There is no appointment #{appointment_id}.")
        if appt.status != AppointmentStatus.BOOKED.value:
            label = AppointmentStatus(appt.status).value.replace("_", " ")
            raise InvalidState(f"Can't {verb}: the appointment is already {label}.")
        return appt

    @staticmethod
    def _check_free(
        session: Session, staff: StaffMember, start: datetime, end: datetime, ignore: int | None
    ) -> None:
        query = select(Appointment.starts_at, Appointment.ends_at).where(
            Appointment.staff_id == staff.id,
            Appointment.status.in_(BUSY_STATUSES),
            Appointment.starts_at < end,
            Appointment.ends_at > start,
            Appointment.starts_at > start - MAX_LENGTH,
        )
        if ignore is not None:
            query = query.where(Appointment.id != ignore)
        clash = session.execute(query.limit(1)).first()
        if clash is not None:
            raise Conflict(
                f"{staff.name} already has an appointment then "
                f"({clash[0].isoformat(timespec='minutes')} to "
                f"{clash[1].isoformat(timespec='minutes')})."
            )
