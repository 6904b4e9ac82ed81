"""When staff work and what they deliver: weekly hours, time off, extra shifts.

The rule itself (no hours at all: available any time; once any are set, only
they and extra shifts count; time off always takes time away) is in
``calendar/availability_hours.py``; booking checks it in
``calendar/availability_rules.py``. Each write here locks the staff member's row
first, as a booking does, so a booking and a change of hours don't interleave.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import StaffDeliveredType, StaffMember, StaffTimeException, StaffWeeklyHours
from desk.services.calendar.appointment_types import load_type
from desk.services.calendar.availability_hours import (
    DAY_MINUTES,
    EXTRA,
    OFF,
    load_availability,
    to_utc,
)
from desk.services.calendar.availability_rules import free_slots
from desk.services.calendar.booking_reads import lock_staff, require_aware
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import FreeSlot, NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.people.availability_views import (
    StaffCalendarDays,
    StaffHoursView,
    TimeExceptionView,
    TimeOffBlock,
    WeeklyRange,
)
from desk.services.people.staff import load_staff
from desk.services.records import audit

MAX_EXCEPTION = timedelta(days=366)
MAX_SLOTS = 200


def _hours_view(session: Session, staff_id: int) -> StaffHoursView:
    found = load_availability(session, [staff_id])
    if staff_id not in found:
        raise NotFound(f"There is no staff member #{staff_id}.")
    avail = found[staff_id]
    return StaffHoursView(
        staff_id=staff_id,
        staff_name=avail.staff_name,
        weekly=tuple(
            WeeklyRange(day, lo, hi) for day in sorted(avail.weekly) for lo, hi in avail.weekly[day]
        ),
        exceptions=tuple(
            TimeExceptionView(e.id, staff_id, e.kind, e.starts_local, e.ends_local, e.note)
            for e in avail.exceptions
        ),
        delivers_all_types=avail.delivers_all_types,
        delivered_type_ids=avail.delivered,
    )


def _weekly_snapshot(view: StaffHoursView) -> dict[str, Any]:
    return {"hours": [f"{r.weekday}:{r.start_minute}-{r.end_minute}" for r in view.weekly]}


def _clean_ranges(ranges: Sequence[WeeklyRange]) -> list[WeeklyRange]:
    for r in ranges:
        values = (r.weekday, r.start_minute, r.end_minute)
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            raise ValidationError("hours", "Hours are whole minutes of a weekday.")
        if not 0 <= r.weekday <= 6:
            raise ValidationError("hours", "A weekday is 0 (Monday) to 6 (Sunday).")
        if not 0 <= r.start_minute < r.end_minute <= DAY_MINUTES:
            raise ValidationError("hours", "Each range must end after it starts, within the day.")
    ordered = sorted(ranges, key=lambda r: (r.weekday, r.start_minute))
    for one, two in pairwise(ordered):
        if one.weekday == two.weekday and two.start_minute < one.end_minute:
            raise ValidationError("hours", "Two ranges of one day overlap.")
    return ordered


class AvailabilityService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- writes ---------------------------------------------------------------------------

    @retry_transient
    def set_weekly_hours(
        self, staff_id: StaffId, ranges: Sequence[WeeklyRange], *, actor: Actor
    ) -> Outcome[StaffHoursView]:
        """Replace a staff member's weekly hours with ``ranges`` (none: available any
        time). Raises ValidationError for a bad or overlapping range, NotFound for
        an unknown staff member."""
        clean = _clean_ranges(ranges)
        with authorized(self._db, actor, Permission.MANAGE_STAFF) as session:
            lock_staff(session, staff_id)
            before = _weekly_snapshot(_hours_view(session, staff_id))
            session.execute(delete(StaffWeeklyHours).where(StaffWeeklyHours.staff_id == staff_id))
            session.add_all(
                StaffWeeklyHours(
                    staff_id=staff_id,
                    weekday=r.weekday,
                    start_minute=r.start_minute,
                    end_minute=r.end_minute,
                )
                for r in clean
            )
            session.flush()
            view = _hours_view(session, staff_id)
            self._audit(session, actor, "staff.hours", staff_id, before, _weekly_snapshot(view))
        return Outcome(view, Changes.of(catalog=True))

    @retry_transient
    def add_exception(
        self,
        staff_id: StaffId,
        *,
        kind: str,
        starts_local: datetime,
        ends_local: datetime,
        note: str = "",
        actor: Actor,
    ) -> Outcome[TimeExceptionView]:
        """Add time off (``kind`` "off") or a one-off extra shift ("extra") from
        ``starts_local`` to ``ends_local``, the gym's wall-clock time (naive). Raises
        ValidationError for another kind, an aware or reversed time or one longer
        than a year; NotFound for an unknown staff member."""
        if kind not in (OFF, EXTRA):
            raise ValidationError("kind", "An exception is time off or an extra shift.")
        for value, field in ((starts_local, "starts_local"), (ends_local, "ends_local")):
            if not isinstance(value, datetime) or value.tzinfo is not None:
                raise ValidationError(field, "Give the gym's wall-clock time, without a zone.")
        if ends_local <= starts_local:
            raise ValidationError("ends_local", "The end must be after the start.")
        if ends_local - starts_local > MAX_EXCEPTION:
            raise ValidationError("ends_local", "An exception can last at most a year.")
        clean_note = clean_text(note, "note", max_length=MAX_TEXT)
        with authorized(self._db, actor, Permission.MANAGE_STAFF) as session:
            lock_staff(session, staff_id)
            row = StaffTimeException(
                staff_id=staff_id,
                kind=kind,
                starts_local=starts_local,
                ends_local=ends_local,
                note=clean_note,
            )
            session.add(row)
            session.flush()
            view = TimeExceptionView(row.id, staff_id, kind, starts_local, ends_local, clean_note)
            after = {"kind": kind, "from": starts_local, "to": ends_local, "note": clean_note}
            self._audit(session, actor, "staff.exception_add", staff_id, None, after)
        return Outcome(view, Changes.of(catalog=True))

    @retry_transient
    def remove_exception(self, exception_id: int, *, actor: Actor) -> Outcome[None]:
        """Remove a time off or an extra shift. Raises NotFound when it is gone."""
        with authorized(self._db, actor, Permission.MANAGE_STAFF) as session:
            staff_id = session.scalar(
                select(StaffTimeException.staff_id).where(StaffTimeException.id == exception_id)
            )
            if staff_id is None:
                raise NotFound(f"There is no time off or extra shift #{exception_id}.")
            lock_staff(session, staff_id)
            row = session.get(StaffTimeException, exception_id)
            if row is None:
                raise NotFound(f"There is no time off or extra shift #{exception_id}.")
            before = {"kind": row.kind, "from": row.starts_local, "to": row.ends_local}
            session.delete(row)
            self._audit(session, actor, "staff.exception_remove", staff_id, before, None)
        return Outcome(None, Changes.of(catalog=True))

    @retry_transient
    def set_delivered_types(
        self,
        staff_id: StaffId,
        *,
        all_types: bool,
        type_ids: Sequence[AppointmentTypeId] = (),
        actor: Actor,
    ) -> Outcome[StaffHoursView]:
        """Say which appointment types a staff member delivers: every type (also those
        added later), or only ``type_ids``. Raises NotFound for an unknown staff
        member or type."""
        with authorized(self._db, actor, Permission.MANAGE_STAFF) as session:
            staff = lock_staff(session, staff_id)
            before = _hours_view(session, staff_id)
            for type_id in set(type_ids):
                load_type(session, type_id)
            staff.delivers_all_types = bool(all_types)
            session.execute(
                delete(StaffDeliveredType).where(StaffDeliveredType.staff_id == staff_id)
            )
            if not all_types:
                session.add_all(
                    StaffDeliveredType(staff_id=staff_id, appointment_type_id=type_id)
                    for type_id in sorted(set(type_ids))
                )
            session.flush()
            view = _hours_view(session, staff_id)
            self._audit(
                session,
                actor,
                "staff.delivers",
                staff_id,
                {"all": before.delivers_all_types, "types": sorted(before.delivered_type_ids)},
                {"all": view.delivers_all_types, "types": sorted(view.delivered_type_ids)},
            )
        return Outcome(view, Changes.of(catalog=True))

    # --- reads ----------------------------------------------------------------------------

    def hours(self, staff_id: StaffId) -> StaffHoursView:
        """A staff member's weekly hours, exceptions and types. Raises NotFound."""
        with self._db.read() as session:
            return _hours_view(session, staff_id)

    def for_calendar(
        self, first: date, last: date, staff_ids: Sequence[int]
    ) -> list[StaffCalendarDays]:
        """Each staff member's working time and time off from ``first`` to ``last``
        (the gym's days, both included), for the calendar to grey the rest."""
        tz = self._clock.tz
        start = datetime.combine(first, time())
        end = datetime.combine(last + timedelta(days=1), time())
        with self._db.read() as session:
            found = load_availability(session, staff_ids, from_local=start, to_local_=end)
        days: list[StaffCalendarDays] = []
        for avail in found.values():
            off = tuple(
                TimeOffBlock(to_utc(max(e.starts_local, start), tz),
                             to_utc(min(e.ends_local, end), tz), e.note)
                for e in avail.time_off()
            )  # fmt: skip
            windows = tuple(avail.windows(first, last, tz))
            days.append(StaffCalendarDays(avail.staff_id, avail.keeps_hours, windows, off))
        return days

    def find_free_slots(
        self,
        appointment_type_id: AppointmentTypeId,
        start: datetime,
        end: datetime,
        *,
        staff_id: StaffId | None = None,
        limit: int = 50,
    ) -> list[FreeSlot]:
        """Times from ``start`` to ``end`` at which a session of the type could start:
        with ``staff_id``, or with any active staff member who takes bookings and
        delivers it; soonest first, at most ``limit``. Not before now plus the
        type's minimum notice, nor beyond its horizon. Raises ValidationError for a
        naive time, NotFound for an unknown type."""
        require_aware(start, "start")
        require_aware(end, "end")
        now = self._clock.now()
        with self._db.read() as session:
            kind = load_type(session, appointment_type_id)
            first = max(start, now + timedelta(minutes=kind.min_notice_minutes))
            if kind.horizon_days:
                today_end = datetime.combine(
                    now.astimezone(self._clock.tz).date() + timedelta(days=kind.horizon_days + 1),
                    time(),
                )
                end = min(end, to_utc(today_end, self._clock.tz) - timedelta(seconds=1))
            if staff_id is not None:
                load_staff(session, staff_id)
                ids = [int(staff_id)]
            else:
                ids = list(_coaches(session))
            return free_slots(
                session, kind, first, end, ids, self._clock.tz, limit=min(limit, MAX_SLOTS)
            )

    # --- helpers --------------------------------------------------------------------------

    def _audit(
        self,
        session: Session,
        actor: Actor,
        action: str,
        staff_id: int,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        audit.record(
            session,
            at=self._clock.now().astimezone(UTC),
            actor=actor,
            action=action,
            entity="staff",
            entity_id=staff_id,
            before=before,
            after=after,
        )


def _coaches(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(StaffMember.id).where(
                StaffMember.active.is_(True), StaffMember.takes_bookings.is_(True)
            )
        )
    )
