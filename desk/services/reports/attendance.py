"""Attendance: sessions booked, attended, no-show and late-cancelled, and who keeps not coming."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import Appointment, AppointmentStatus, AppointmentType, Member, StaffMember
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.periods import check_range, end_of, start_of, week_of

_COUNTED = ("booked", "attended", "no_show", "late_cancelled", "cancelled")


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """Sessions of one group (a type, a coach or a week by its Monday)."""

    label: str
    booked: int
    attended: int
    no_show: int
    late_cancelled: int
    cancelled: int
    still_open: int


@dataclass(frozen=True, slots=True)
class NoShowRow:
    member_id: int
    name: str
    sessions: int
    no_shows: int

    @property
    def rate_percent(self) -> int:
        """No-shows per session that took place, as a whole percent (rounded down)."""
        return self.no_shows * 100 // self.sessions if self.sessions else 0


@dataclass(frozen=True, slots=True)
class Attendance:
    first: date
    last: date
    total: AttendanceRow
    by_type: tuple[AttendanceRow, ...]
    by_coach: tuple[AttendanceRow, ...]
    by_week: tuple[AttendanceRow, ...]
    no_shows: tuple[NoShowRow, ...]


def _row(label: str, counts: dict[str, int]) -> AttendanceRow:
    # Booked: every session made, whatever became of it, except a cancel in time.
    made = sum(counts[s] for s in _COUNTED if s != "cancelled")
    return AttendanceRow(
        label, made, counts["attended"], counts["no_show"], counts["late_cancelled"],
        counts["cancelled"], counts["booked"],
    )  # fmt: skip


def attendance(
    session: Session,
    first: date,
    last: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
) -> Attendance:
    """Sessions starting on the local days ``first``..``last``, counted by status.

    ``still_open`` are sessions still marked booked. The no-show list names
    members with at least one no-show, the highest rate first. Raises
    ValidationError when ``first`` is after ``last``.
    """
    check_range(first, last)
    query = (
        select(Appointment.status, Appointment.starts_at, AppointmentType.name, StaffMember.name,
               Member.id, Member.first_name, Member.last_name)
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .join(StaffMember, StaffMember.id == Appointment.staff_id)
        .join(Member, Member.id == Appointment.member_id)
        .where(Appointment.starts_at >= start_of(first, tz),
               Appointment.starts_at < end_of(last, tz))
    )  # fmt: skip
    query = query.where(*filters.appointments())
    groups: dict[str, dict[str, dict[str, int]]] = {
        g: defaultdict(lambda: dict.fromkeys(_COUNTED, 0)) for g in ("type", "coach", "week")
    }
    total = dict.fromkeys(_COUNTED, 0)
    members: dict[int, list[str | int]] = {}
    taken_place = (AppointmentStatus.ATTENDED.value, AppointmentStatus.NO_SHOW.value,
                   AppointmentStatus.LATE_CANCELLED.value)  # fmt: skip
    for status, starts, type_name, coach, member_id, first_name, last_name in session.execute(
        query
    ):
        week = week_of(starts.astimezone(tz).date()).isoformat()
        for group, label in (("type", type_name), ("coach", coach), ("week", week)):
            groups[group][label][status] += 1
        total[status] += 1
        if status in taken_place:
            seen = members.setdefault(member_id, [f"{first_name} {last_name}".strip(), 0, 0])
            seen[1] = int(seen[1]) + 1
            seen[2] = int(seen[2]) + (status == AppointmentStatus.NO_SHOW.value)
    no_shows = sorted(
        (NoShowRow(m, str(v[0]), int(v[1]), int(v[2])) for m, v in members.items() if v[2]),
        key=lambda r: (-r.no_shows * 1000 // r.sessions, -r.no_shows, r.name),
    )
    by_type, by_coach, by_week = (
        tuple(_row(k, v) for k, v in sorted(groups[g].items())) for g in ("type", "coach", "week")
    )
    return Attendance(
        first, last, _row("All sessions", total), by_type, by_coach, by_week, tuple(no_shows),
    )  # fmt: skip
