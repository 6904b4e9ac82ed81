"""Reading the calendar: appointments by id, member and time range; shared views."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Member,
    StaffMember,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.core.clock import Clock
from desk.services.core.errors import (
    Clash,
    ClashingAppointment,
    NotFound,
    ValidationError,
)
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.core.read_models import (
    AppointmentView,
)
from desk.services.core.settings_values import CHECK_IN_OPENS_MINUTES, read_int

MAX_LENGTH = timedelta(hours=12)

# Statuses that occupy the staff member's time (a cancelled slot is free again).
BUSY_STATUSES = (
    AppointmentStatus.BOOKED.value,
    AppointmentStatus.ATTENDED.value,
    AppointmentStatus.NO_SHOW.value,
)


def check_in_opens_at(session: Session, starts_at: datetime) -> datetime:
    """When check-in opens for a session starting at ``starts_at``: the gym's
    ``check_in_opens_minutes`` before it (the one place this rule is written)."""
    return starts_at - timedelta(minutes=read_int(session, CHECK_IN_OPENS_MINUTES))


def views_query() -> Select[Appointment, str, str, str, str, str, int]:
    return (
        select(
            Appointment,
            Member.first_name,
            Member.last_name,
            AppointmentType.name,
            AppointmentType.color,
            StaffMember.name,
            AppointmentType.capacity,
        )
        .join(Member, Member.id == Appointment.member_id)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .join(StaffMember, StaffMember.id == Appointment.staff_id)
    )


def view(row: tuple[Appointment, str, str, str, str, str, int]) -> AppointmentView:
    appt, first, last, type_name, color, staff_name, capacity = row
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
        capacity=capacity,
        unpaid=appt.unpaid,
    )


def snapshot(appt: Appointment) -> dict[str, Any]:
    return {
        "member_id": appt.member_id,
        "appointment_type_id": appt.appointment_type_id,
        "staff_id": appt.staff_id,
        "starts_at": appt.starts_at,
        "ends_at": appt.ends_at,
        "status": appt.status,
        "lot_id": appt.lot_id,
    }


def long_date(day: date) -> str:
    """A date as a front desk reads it: "Thursday 5 March 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def require_aware(moment: datetime, field: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValidationError(field, "A time must carry its time zone.")
    return moment


def lock_staff(session: Session, staff_id: int) -> StaffMember:
    """The staff member's row, locked on servers so two desks can't both see a free slot."""
    staff = session.scalar(select(StaffMember).where(StaffMember.id == staff_id).with_for_update())
    if staff is None:
        raise NotFound(f"There is no staff member #{staff_id}.")
    return staff


def lock_appointment(session: Session, appointment_id: int) -> Appointment:
    """The appointment's row, locked before its status is read, so of several desks
    changing it at once one goes first and the others see what it did. Raises
    NotFound for an unknown appointment."""
    appt = session.scalar(
        select(Appointment).where(Appointment.id == appointment_id).with_for_update()
    )
    if appt is None:
        raise NotFound(f"There is no appointment #{appointment_id}.")
    return appt


def check_free(
    session: Session,
    staff: StaffMember,
    start: datetime,
    end: datetime,
    ignore: int | None,
    tz: tzinfo,
    *,
    group_type: int | None = None,
) -> None:
    """Raise Clash (a Conflict) when the staff member has a session overlapping
    [start, end); its message gives the session in the way in the gym's time ``tz``.
    With ``group_type``, the group session of that type at exactly [start, end) is
    not in the way (group_sessions.check_room counts its places)."""
    query = (
        views_query()
        .where(
            Appointment.staff_id == staff.id,
            Appointment.status.in_(BUSY_STATUSES),
            Appointment.starts_at < end,
            Appointment.ends_at > start,
            Appointment.starts_at > start - MAX_LENGTH,
        )
        .order_by(Appointment.starts_at)
    )
    if ignore is not None:
        query = query.where(Appointment.id != ignore)
    if group_type is not None:
        query = query.where(
            ~(
                (Appointment.appointment_type_id == group_type)
                & (Appointment.starts_at == start)
                & (Appointment.ends_at == end)
            )
        )
    row = session.execute(query.limit(1)).first()
    if row is None:
        return
    raise clash_with(view(row), tz)


def clash_with(busy: AppointmentView, tz: tzinfo) -> Clash:
    """The Clash that names ``busy`` as the session in the way (in the gym's time ``tz``)."""
    clash = ClashingAppointment(
        appointment_id=busy.id,
        staff_name=busy.staff_name,
        member_name=busy.member_name,
        appointment_type=busy.appointment_type,
        starts_at=busy.starts_at,
        ends_at=busy.ends_at,
    )
    return Clash(clash_message(clash, tz), clash)


def clash_message(clash: ClashingAppointment, tz: tzinfo) -> str:
    """The clash in plain words and the gym's time (the command line prints this)."""
    start = clash.starts_at.astimezone(tz)
    end = clash.ends_at.astimezone(tz)
    return (
        f"{clash.staff_name} already has {clash.member_name} ({clash.appointment_type}) "
        f"then: {long_date(start.date())}, {start:%H:%M} to {end:%H:%M}."
    )


class BookingReads:
    """The read side of BookingService (which adds the writes)."""

    _db: Database
    _clock: Clock

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
        query = views_query().where(Appointment.member_id == member_id)
        if upcoming_only:
            query = query.where(
                Appointment.ends_at >= self._clock.now(),
                Appointment.status == AppointmentStatus.BOOKED.value,
            ).order_by(Appointment.starts_at)
        else:
            query = query.order_by(Appointment.starts_at.desc())
        with self._db.read() as session:
            return [view(row) for row in session.execute(query.limit(limit))]

    def in_range(
        self, start: datetime, end: datetime, *, staff_ids: list[int] | None = None
    ) -> list[AppointmentView]:
        """Appointments overlapping [start, end), by start time."""
        require_aware(start, "start")
        require_aware(end, "end")
        query = (
            views_query()
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
            return [view(row) for row in session.execute(query)]

    # --- helpers --------------------------------------------------------------------------

    @staticmethod
    def _is_late(appt: Appointment, kind: AppointmentType, now: datetime) -> bool:
        return now >= appt.starts_at - timedelta(hours=kind.late_cancel_hours)

    @staticmethod
    def _get(session: Session, appointment_id: int) -> AppointmentView:
        row = session.execute(views_query().where(Appointment.id == appointment_id)).first()
        if row is None:
            raise NotFound(f"There is no appointment #{appointment_id}.")
        return view(row)
