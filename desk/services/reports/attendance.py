"""Attendance: sessions booked, attended, no-show and late-cancelled, and who keeps not coming."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from desk.models import Appointment, AppointmentStatus, AppointmentType, Member, StaffMember
from desk.services.reports.filters import EVERYTHING, ReportFilter
from desk.services.reports.periods import (
    check_range,
    end_of,
    index_of_instant,
    start_of,
    week_of,
)

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


def _week_of_start(first: date, last: date, tz: tzinfo) -> tuple[ColumnElement[Any], list[date]]:
    """A SQL expression giving the index of a session's local week (by its Monday)
    in the period, and the Mondays: comparisons with each week's first instant, so
    the database groups sessions by the gym's weeks, daylight saving and all. The
    comparisons are nested as a binary search: about 6 per session for a year,
    not one per week."""
    mondays = [week_of(first)]
    while mondays[-1] + timedelta(days=7) <= last:
        mondays.append(mondays[-1] + timedelta(days=7))
    starts = [start_of(m, tz) for m in mondays]
    return index_of_instant(Appointment.starts_at, starts), mondays


def attendance(
    session: Session,
    first: date,
    last: date,
    tz: tzinfo,
    filters: ReportFilter = EVERYTHING,
) -> Attendance:
    """Sessions starting on the local days ``first``..``last``, counted by status.

    ``still_open`` are sessions still marked booked. The no-show list names
    members with at least one no-show, the highest rate first. The database
    counts (by status, type, coach and week; by member): a year of a big gym's
    sessions is never read row by row. Raises ValidationError when ``first`` is
    after ``last``.
    """
    check_range(first, last)
    in_period = (
        Appointment.starts_at >= start_of(first, tz), Appointment.starts_at < end_of(last, tz),
        *filters.appointments(),
    )  # fmt: skip
    week, mondays = _week_of_start(first, last, tz)
    counted = (
        select(Appointment.status, Appointment.appointment_type_id, Appointment.staff_id,
               week.label("week"), func.count())
        .where(*in_period)
        .group_by(Appointment.status, Appointment.appointment_type_id, Appointment.staff_id,
                  week)
    )  # fmt: skip
    types = dict(session.execute(select(AppointmentType.id, AppointmentType.name)).all())
    coaches = dict(session.execute(select(StaffMember.id, StaffMember.name)).all())
    groups: dict[str, dict[str, dict[str, int]]] = {
        g: defaultdict(lambda: dict.fromkeys(_COUNTED, 0)) for g in ("type", "coach", "week")
    }
    total = dict.fromkeys(_COUNTED, 0)
    weeks = [monday.isoformat() for monday in mondays]
    of_type, of_coach, of_week = groups["type"], groups["coach"], groups["week"]
    for status, type_id, staff_id, week_index, n in session.execute(counted):
        of_type[types[type_id]][status] += n
        of_coach[coaches[staff_id]][status] += n
        of_week[weeks[int(week_index)]][status] += n
        total[status] += n
    taken_place = (AppointmentStatus.ATTENDED.value, AppointmentStatus.NO_SHOW.value,
                   AppointmentStatus.LATE_CANCELLED.value)  # fmt: skip
    no_show = func.sum(case((Appointment.status == AppointmentStatus.NO_SHOW.value, 1), else_=0))
    per_member = (
        select(Appointment.member_id, func.count().label("n"), no_show.label("missed"))
        .where(*in_period, Appointment.status.in_(taken_place))
        .group_by(Appointment.member_id)
        .having(no_show > 0)
        .subquery()
    )  # fmt: skip
    people = select(
        Member.id, Member.first_name, Member.last_name, per_member.c.n, per_member.c.missed
    ).join(per_member, per_member.c.member_id == Member.id)
    no_shows = sorted(
        (NoShowRow(m, f"{first_name} {last_name}".strip(), int(n), int(missed))
         for m, first_name, last_name, n, missed in session.execute(people)),
        key=lambda r: (-r.no_shows * 1000 // r.sessions, -r.no_shows, r.name),
    )  # fmt: skip
    by_type, by_coach, by_week = (
        tuple(_row(k, v) for k, v in sorted(groups[g].items())) for g in ("type", "coach", "week")
    )
    return Attendance(
        first, last, _row("All sessions", total), by_type, by_coach, by_week, tuple(no_shows),
    )  # fmt: skip
