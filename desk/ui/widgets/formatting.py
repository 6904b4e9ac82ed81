"""How values read on screen: local times, dates, money, statuses."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from desk.services.core.money import format_money

__all__ = ["format_date", "format_datetime", "format_money", "label"]


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
