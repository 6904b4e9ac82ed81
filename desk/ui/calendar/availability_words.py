"""How the desk words a coach's unavailability and a free slot, in its own locale.

The services refuse with a structured reason (``Unavailable.reason``); these
sentences put it in the desk's formats: "Sam works 09:00-13:00 on Tuesdays",
"Sam is off 3 Mar - 7 Mar", "Sam doesn't deliver Yoga".
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo

from PySide6.QtCore import QLocale

from desk.services.core.errors import FreeSlot, Unavailability, Unavailable
from desk.ui.widgets.formatting import (
    format_clock,
    format_date_range,
    format_day_month,
    format_time_range,
    format_weekday_day_month,
)


def _clock(minute: int) -> str:
    if minute >= 24 * 60:
        return format_clock(time())  # midnight, the end of the day
    return format_clock(time(minute // 60, minute % 60))


def _weekdays(weekday: int) -> str:
    """The weekday's name in the plural, as the desk's language writes it ("Tuesdays")."""
    name = QLocale().dayName(weekday + 1, QLocale.FormatType.LongFormat)
    return f"{name}s" if QLocale().language() == QLocale.Language.English else name


def hours_text(hours: tuple[tuple[int, int], ...]) -> str:
    """ "09:00-13:00, 14:00-18:00" in the locale's clock."""
    return ", ".join(f"{_clock(lo)}\u2013{_clock(hi)}" for lo, hi in hours)


def span_words(start: datetime, end: datetime) -> str:
    """A wall-clock range of time off: "3 Mar - 7 Mar 2026", "12 Mar", "14:00-17:00 on 12 Mar"."""
    if start.time() == time() and end.time() == time():
        last = (end - timedelta(days=1)).date()
        if last == start.date():
            return format_weekday_day_month(start.date())
        return format_date_range(start.date(), last)
    if start.date() == end.date():
        return f"{format_time_range(start, end)} on {format_day_month(start.date())}"
    return (
        f"{format_day_month(start.date())} {format_clock(start)} to "
        f"{format_day_month(end.date())} {format_clock(end)}"
    )


def unavailable_sentence(reason: Unavailability) -> str:
    """Why the coach can't take the session, in the desk's formats."""
    who = reason.staff_name
    if reason.kind == "type":
        return f"{who} doesn't deliver {reason.appointment_type}."
    if reason.kind == "off" and reason.off_from is not None and reason.off_to is not None:
        note = f" ({reason.note})" if reason.note else ""
        return f"{who} is off {span_words(reason.off_from, reason.off_to)}{note}."
    day = _weekdays(reason.weekday or 0)
    if not reason.hours:
        return f"{who} doesn't work on {day}."
    return f"{who} works {hours_text(reason.hours)} on {day}."


def slot_words(slot: FreeSlot, tz: tzinfo, *, with_staff: bool = True) -> str:
    """ "Tue 10 Mar 09:00 · Kim" (the day, the time, the coach)."""
    local = slot.starts_at.astimezone(tz)
    text = f"{format_weekday_day_month(local.date())} {format_clock(local)}"
    return f"{text} · {slot.staff_name}" if with_staff else text


def explain_unavailable(exc: Unavailable, who: str, tz: tzinfo) -> Unavailable:
    """A refused move in the desk's formats: why, that ``who`` (the session) was not
    moved, and the coach's next free times."""
    free = ", ".join(slot_words(s, tz, with_staff=False) for s in exc.free_slots)
    message = f"{unavailable_sentence(exc.reason)} {who} was not moved."
    if free:
        message += f" Next free: {free}."
    refused = Unavailable(message, exc.reason, moving_starts_at=exc.moving_starts_at)
    refused.free_slots = exc.free_slots
    return refused
