"""Whether a staff member can take a session then: the one place booking, planning,
moving and "find a time" ask.

A session fits when its staff member delivers the type, works then (see
``availability_hours``), and the session with its type's buffers before and
after doesn't overlap another of their sessions with that one's buffers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from itertools import accumulate

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.models import Appointment, AppointmentType, StaffMember
from desk.services.calendar.availability_hours import (
    StaffAvailability,
    load_availability,
    to_local,
)
from desk.services.calendar.availability_words import (
    hours_message,
    off_message,
    type_message,
)
from desk.services.calendar.booking_reads import (
    BUSY_STATUSES,
    MAX_LENGTH,
    clash_with,
    view,
    views_query,
)
from desk.services.core.errors import (
    Clash,
    FreeSlot,
    Unavailability,
    Unavailable,
)

STEP = timedelta(minutes=15)
"""Free slots start on the quarter hours (and right after a busy session)."""
OFFER_DAYS = 28
"""How far after a refused time the next free slots are looked for."""
OFFERED = 5


def buffers(kind: AppointmentType) -> tuple[timedelta, timedelta]:
    return (
        timedelta(minutes=kind.buffer_before_minutes),
        timedelta(minutes=kind.buffer_after_minutes),
    )


def max_buffers(session: Session) -> tuple[timedelta, timedelta]:
    """The largest buffer before and after of any type (bounds the clash queries)."""
    row = session.execute(
        select(
            func.max(AppointmentType.buffer_before_minutes),
            func.max(AppointmentType.buffer_after_minutes),
        )
    ).one()
    return timedelta(minutes=row[0] or 0), timedelta(minutes=row[1] or 0)


def check_slot(
    session: Session,
    staff: StaffMember,
    kind: AppointmentType,
    start: datetime,
    end: datetime,
    ignore: int | None,
    tz: tzinfo,
    *,
    group_type: int | None = None,
) -> None:
    """Raise Unavailable when ``staff`` doesn't deliver ``kind`` or doesn't work over
    [start, end), Clash when it (with the buffers) meets another of their sessions.
    Messages in the gym's time ``tz``; ``ignore`` is a session that doesn't count
    (the one being moved). With ``group_type`` the group session of that type at
    exactly [start, end) is not in the way (group_sessions.check_room counts its
    places)."""
    found = load_availability(
        session,
        [staff.id],
        from_local=to_local(start, tz) - timedelta(days=1),
        to_local_=to_local(end, tz) + timedelta(days=1),
    )
    unavailable(found[staff.id], kind, start, end, tz)
    check_buffered(session, staff, kind, start, end, ignore, tz, group_type=group_type)


def unavailable(
    avail: StaffAvailability, kind: AppointmentType, start: datetime, end: datetime, tz: tzinfo
) -> None:
    """Raise Unavailable unless ``avail`` covers [start, end) for ``kind``."""
    name = avail.staff_name
    if not avail.delivers(kind.id):
        reason = Unavailability("type", name, appointment_type=kind.name)
        raise Unavailable(type_message(reason), reason)
    start_l, end_l = to_local(start, tz), to_local(end, tz)
    for off in avail.time_off():
        if off.starts_local < end_l and off.ends_local > start_l:
            reason = Unavailability(
                "off", name, off_from=off.starts_local, off_to=off.ends_local, note=off.note
            )
            raise Unavailable(off_message(reason), reason)
    windows = avail.windows(start_l.date() - timedelta(days=1), end_l.date(), tz)
    if any(lo <= start and end <= hi for lo, hi in windows):
        return
    day = start_l.weekday()
    reason = Unavailability("hours", name, weekday=day, hours=avail.weekly.get(day, ()))
    raise Unavailable(hours_message(reason), reason)


def check_buffered(
    session: Session,
    staff: StaffMember,
    kind: AppointmentType,
    start: datetime,
    end: datetime,
    ignore: int | None,
    tz: tzinfo,
    *,
    group_type: int | None = None,
) -> None:
    """Raise Clash when [start - buffer before, end + buffer after] overlaps another of
    the staff member's sessions widened by its own type's buffers (with
    ``group_type``, not the group session being joined: see check_slot)."""
    before, after = buffers(kind)
    most_before, most_after = max_buffers(session)
    lo, hi = start - before, end + after
    query = (
        views_query()
        .add_columns(AppointmentType.buffer_before_minutes, AppointmentType.buffer_after_minutes)
        .where(
            Appointment.staff_id == staff.id,
            Appointment.status.in_(BUSY_STATUSES),
            Appointment.starts_at < hi + most_before,
            Appointment.ends_at > lo - most_after,
            Appointment.starts_at > lo - most_after - MAX_LENGTH,
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
    for row in session.execute(query):
        *shown, other_before, other_after = row  # the view's columns, then the buffers
        appt = shown[0]
        if (
            appt.starts_at - timedelta(minutes=other_before) < hi
            and appt.ends_at + timedelta(minutes=other_after) > lo
        ):
            raise clash_with(view(tuple(shown)), tz)


def free_slots(
    session: Session,
    kind: AppointmentType,
    start: datetime,
    end: datetime,
    staff_ids: Sequence[int],
    tz: tzinfo,
    *,
    limit: int,
    length: timedelta | None = None,
    ignore: int | None = None,
) -> list[FreeSlot]:
    """The first ``limit`` times from ``start`` to ``end`` (session starts) at which one
    of ``staff_ids`` could take a session of ``kind``: soonest first, then by name.
    Staff who don't deliver the type have none; the session ``ignore`` (one being
    moved) doesn't count as busy. A handful of queries in all."""
    length = length or kind.duration
    found = load_availability(
        session,
        staff_ids,
        from_local=to_local(start, tz) - timedelta(days=1),
        to_local_=to_local(end + length, tz) + timedelta(days=1),
    )
    staff = [a for a in found.values() if a.delivers(kind.id)]
    if not staff or end < start:
        return []
    before, after = buffers(kind)
    busy = _busy(session, [a.staff_id for a in staff], start - before, end + length + after, ignore)
    slots: list[FreeSlot] = []
    first_day = to_local(start, tz).date() - timedelta(days=1)
    last_day = to_local(end + length, tz).date()
    for avail in staff:
        taken = busy.get(avail.staff_id, [])
        los = [lo for lo, _hi in taken]
        reach = list(accumulate((hi for _lo, hi in taken), max))
        ends = [hi + before for _lo, hi in taken]
        mine = 0
        for lo, hi in avail.windows(first_day, last_day, tz):
            for at in _candidates(max(lo, start), min(hi - length, end), ends):
                index = bisect_left(los, at + length + after)
                if index and reach[index - 1] > at - before:
                    continue
                slots.append(FreeSlot(avail.staff_id, avail.staff_name, at, at + length))
                mine += 1
                if mine >= limit:
                    break
            if mine >= limit:
                break
    slots.sort(key=lambda s: (s.starts_at, s.staff_name.casefold(), s.staff_id))
    return slots[:limit]


def _candidates(first: datetime, last: datetime, ends: list[datetime]) -> list[datetime]:
    """Quarter hours from ``first`` to ``last``, and the busy ends between them."""
    if last < first:
        return []
    seconds = int(first.timestamp())
    step = int(STEP.total_seconds())
    at = first + timedelta(seconds=(-seconds) % step)
    found = {first} if seconds % step == 0 else set()
    while at <= last:
        found.add(at)
        at += STEP
    found.update(e for e in ends if first <= e <= last)
    return sorted(found)


def _busy(
    session: Session, staff_ids: list[int], start: datetime, end: datetime, ignore: int | None
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each staff member's sessions overlapping [start, end), widened by their buffers,
    sorted by start."""
    most_before, most_after = max_buffers(session)
    query = (
        select(
            Appointment.staff_id,
            Appointment.starts_at,
            Appointment.ends_at,
            AppointmentType.buffer_before_minutes,
            AppointmentType.buffer_after_minutes,
        )
        .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
        .where(
            Appointment.staff_id.in_(staff_ids),
            Appointment.status.in_(BUSY_STATUSES),
            Appointment.starts_at < end + most_before,
            Appointment.ends_at > start - most_after,
            Appointment.starts_at > start - most_after - MAX_LENGTH,
        )
    )
    if ignore is not None:
        query = query.where(Appointment.id != ignore)
    rows = session.execute(query)
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for staff_id, lo, hi, before, after in rows:
        busy.setdefault(staff_id, []).append(
            (lo - timedelta(minutes=before), hi + timedelta(minutes=after))
        )
    for taken in busy.values():
        taken.sort()
    return busy


def offer_slots(
    session: Session,
    exc: Clash | Unavailable,
    kind: AppointmentType,
    staff_id: int,
    wanted: datetime,
    now: datetime,
    tz: tzinfo,
    length: timedelta,
    *,
    ignore: int | None = None,
) -> None:
    """Fill ``exc.free_slots`` with the next free times with the same staff member
    from ``wanted`` (not before now and the type's notice) on."""
    start = max(wanted, now + timedelta(minutes=kind.min_notice_minutes))
    exc.free_slots = tuple(
        free_slots(
            session,
            kind,
            start,
            start + timedelta(days=OFFER_DAYS),
            [staff_id],
            tz,
            limit=OFFERED,
            length=length,
            ignore=ignore,
        )
    )
