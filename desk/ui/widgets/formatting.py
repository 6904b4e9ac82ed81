"""How values read on screen: local times, dates, money, statuses."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, QLocale, QTime

from desk.services.core.money import format_money

__all__ = [
    "format_date",
    "format_datetime",
    "format_long_date",
    "format_money",
    "format_time",
    "label",
]


def format_datetime(moment: datetime, tz: tzinfo) -> str:
    """A stored UTC moment in the gym's local time, e.g. "Tue 3 Mar 2026 10:00"."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


def format_date(day: date | None, empty: str = "") -> str:
    if day is None:
        return empty
    return f"{day.day} {day:%b %Y}"


def label(value: str) -> str:
    """ "late_cancelled" -> "Late cancelled"."""
    return value.replace("_", " ").capitalize()


def format_time(moment: datetime, tz: tzinfo) -> str:
    """A stored UTC moment's local time of day, as the desk's locale writes it ("14:05",
    "2:05 PM")."""
    local = moment.astimezone(tz)
    return QLocale().toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)


def format_long_date(day: date) -> str:
    """A date written out in the desk's locale ("Wednesday, 4 March 2026")."""
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)
