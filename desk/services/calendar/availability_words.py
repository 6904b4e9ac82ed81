"""Availability refusals in plain words and the gym's wall-clock time (the command
line prints these; screens word the structured reason in the desk's locale)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from desk.services.core.errors import Unavailability

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def clock(minute: int) -> str:
    """Minutes of the day as 24-hour "09:30" ("24:00" for the end of the day)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def ranges_text(hours: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{clock(lo)}-{clock(hi)}" for lo, hi in hours)


def type_message(reason: Unavailability) -> str:
    return f"{reason.staff_name} doesn't deliver {reason.appointment_type}."


def hours_message(reason: Unavailability) -> str:
    day = WEEKDAYS[reason.weekday or 0]
    if not reason.hours:
        return f"{reason.staff_name} doesn't work on {day}s."
    return f"{reason.staff_name} works {ranges_text(reason.hours)} on {day}s."


def off_message(reason: Unavailability) -> str:
    assert reason.off_from is not None
    assert reason.off_to is not None
    note = f" ({reason.note})" if reason.note else ""
    return f"{reason.staff_name} is off {span_text(reason.off_from, reason.off_to)}{note}."


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b}"


def span_text(start: datetime, end: datetime) -> str:
    """A wall-clock range the short way: "3-7 Mar", "3 Mar", "14:00-17:00 on 3 Mar"."""
    if start.time() == time() and end.time() == time():
        last = end - timedelta(days=1)
        if last.date() == start.date():
            return _day(start)
        if (last.year, last.month) == (start.year, start.month):
            return f"{start.day}-{_day(last)}"
        return f"{_day(start)}-{_day(last)}"
    if start.date() == end.date():
        return f"{start:%H:%M}-{end:%H:%M} on {_day(start)}"
    return f"{_day(start)} {start:%H:%M} to {_day(end)} {end:%H:%M}"
