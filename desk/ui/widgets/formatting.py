"""How values read on screen: local times, dates, money, statuses.

Every date and time a person reads comes from here, in the desk's locale:
``QLocale()``, the default locale, which start-up takes from the system (tests set it
with ``QLocale.setDefault``). The patterns are the locale's own (its long date format
with abbreviated names, its short time format), never written out per country, so a US
desk reads "Tue, Dec 1, 2026 6:00 PM" and a UK desk "Tue 1 Dec 2026 18:00".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QDate, QLocale, QTime

from desk.services.core.money import format_money

__all__ = [
    "date_edit_format",
    "first_weekday",
    "format_clock",
    "format_date",
    "format_date_range",
    "format_datetime",
    "format_day_month",
    "format_long_date",
    "format_money",
    "format_time",
    "format_time_range",
    "format_weekday",
    "format_weekday_date",
    "format_weekday_day_month",
    "format_weekday_time",
    "label",
    "time_edit_format",
    "week_start",
]

_LONG = QLocale.FormatType.LongFormat
_SHORT = QLocale.FormatType.ShortFormat
_DASH = "\N{EN DASH}"


def _tidy(pattern: str) -> str:
    """Qt writes "6:00\u202fPM" with a narrow no-break space, which some fonts lack."""
    return pattern.replace("\u202f", " ").strip(" ,")


def _medium_pattern(weekday: bool) -> str:
    """The locale's long date format with abbreviated day and month names:
    "ddd, MMM d, yyyy" (en_US), "ddd d MMM yyyy" (en_GB); ``weekday=False`` drops the day
    name ("MMM d, yyyy", "d MMM yyyy")."""
    pattern = QLocale().dateFormat(_LONG)
    pattern = re.sub(r"(?<!d)dddd(?!d)", "ddd", pattern)
    pattern = re.sub(r"(?<!M)MMMM(?!M)", "MMM", pattern)
    if weekday:
        # "Tue, 1 Dec" reads as a list; "Tue, Dec 1" keeps its comma.
        return _tidy(re.sub(r"(?<!d)ddd, (?=d(?!d))", "ddd ", pattern))
    return _tidy(re.sub(r"[,\s]*(?<!d)ddd(?!d)[,\s]*", " ", pattern))


def _without_year(pattern: str) -> str:
    return _tidy(re.sub(r"[,\s]*y+[^A-Za-z']*", " ", pattern))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _write(day: date, pattern: str) -> str:
    return QLocale().toString(_qdate(day), pattern)


def format_clock(wall: time | datetime) -> str:
    """A wall-clock time already in the desk's zone: "18:00" or "6:00 PM"."""
    return _tidy(QLocale().toString(QTime(wall.hour, wall.minute), _SHORT))


def format_time(moment: datetime, tz: tzinfo) -> str:
    """A stored UTC moment's local time of day ("14:05", "2:05 PM")."""
    return format_clock(moment.astimezone(tz))


def format_time_range(start: datetime, end: datetime, tz: tzinfo | None = None) -> str:
    """ "10:00-11:00" or "10:00 AM-11:00 AM"; converted to ``tz`` when it is given."""
    if tz is not None:
        start, end = start.astimezone(tz), end.astimezone(tz)
    return f"{format_clock(start)}{_DASH}{format_clock(end)}"


def format_date(day: date | None, empty: str = "") -> str:
    """ "1 Dec 2026" or "Dec 1, 2026"."""
    if day is None:
        return empty
    return _write(day, _medium_pattern(weekday=False))


def format_month(day: date) -> str:
    """A month: "Nov 2026" (the locale's short month name and the year)."""
    return _write(day, "MMM yyyy")


def format_weekday_date(day: date) -> str:
    """ "Tue 1 Dec 2026" or "Tue, Dec 1, 2026"."""
    return _write(day, _medium_pattern(weekday=True))


def format_day_month(day: date) -> str:
    """ "1 Dec" or "Dec 1" (a week column's subtitle)."""
    return _write(day, _without_year(_medium_pattern(weekday=False)))


def format_weekday_day_month(day: date) -> str:
    """ "Tue 1 Dec" or "Tue, Dec 1"."""
    return _write(day, _without_year(_medium_pattern(weekday=True)))


def format_weekday(day: date) -> str:
    """ "Tue"."""
    return QLocale().dayName(day.isoweekday(), _SHORT)


def format_weekday_time(wall: datetime) -> str:
    """ "Tue 18:00" or "Tue 6:00 PM", for a wall-clock moment in the desk's zone."""
    return f"{format_weekday(wall)} {format_clock(wall)}"


def format_datetime(moment: datetime, tz: tzinfo) -> str:
    """A stored UTC moment in the gym's local time: "Tue 1 Dec 2026 18:00" or
    "Tue, Dec 1, 2026 6:00 PM"."""
    local = moment.astimezone(tz)
    return f"{format_weekday_date(local.date())} {format_clock(local)}"


def format_long_date(day: date) -> str:
    """A date written out: "Tuesday, 1 December 2026" or "Tuesday, December 1, 2026"."""
    return _tidy(QLocale().toString(_qdate(day), _LONG))


def format_date_range(first: date, last: date) -> str:
    """A span of days, e.g. "30 Nov - 6 Dec 2026" or "Nov 29 - Dec 5, 2026"; within one
    month "2 - 8 Mar 2026" or "Mar 2 - 8, 2026"."""
    sep = f" {_DASH} "
    if first.year != last.year:
        return f"{format_date(first)}{sep}{format_date(last)}"
    medium = _medium_pattern(weekday=False)
    short = _without_year(medium)
    if first.month == last.month:
        day_first = re.match(r"d(?!d)[^\sA-Za-z']*", short)
        if day_first:  # the day comes first: "2 - 8 Mar 2026"
            return f"{_write(first, day_first.group())}{sep}{format_date(last)}"
        if re.search(r"(?<!d)d$", short):  # the month comes first: "Mar 2 - 8, 2026"
            rest = _tidy(re.sub(r"M+\s*", "", medium, count=1))
            return f"{format_day_month(first)}{sep}{_write(last, rest)}"
    return f"{format_day_month(first)}{sep}{format_date(last)}"


def date_edit_format(weekday: bool = False) -> str:
    """A ``QDateEdit`` display format in the desk's locale ("ddd d MMM yyyy")."""
    return _medium_pattern(weekday=weekday)


def time_edit_format() -> str:
    """A ``QTimeEdit`` display format in the desk's locale ("HH:mm", "h:mm AP")."""
    return _tidy(QLocale().timeFormat(_SHORT))


def first_weekday() -> int:
    """The locale's first day of the week as ``date.weekday()`` counts (Monday 0,
    Sunday 6)."""
    return QLocale().firstDayOfWeek().value - 1


def week_start(day: date, first: int | None = None) -> date:
    """The first day of ``day``'s week: the locale's first weekday unless ``first``
    (Monday 0 ... Sunday 6) is given."""
    start = first_weekday() if first is None else first
    return day - timedelta(days=(day.weekday() - start) % 7)


def label(value: str) -> str:
    """ "late_cancelled" -> "Late cancelled"."""
    return value.replace("_", " ").capitalize()
