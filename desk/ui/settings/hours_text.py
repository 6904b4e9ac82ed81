"""A weekday's working hours as the desk types and reads them: "09:00-13:00, 14:00-18:00"
(or "9:00 AM-1:00 PM, 2:00 PM-6:00 PM" in a 12-hour locale)."""

from __future__ import annotations

import re
from itertools import pairwise

from PySide6.QtCore import QLocale

from desk.ui.calendar.availability_words import hours_text

_SPLIT = re.compile(r"\s*[-\u2013\u2014]\s*|\s+to\s+")
_FORMATS = ("H:mm", "H.mm", "H", "h:mm AP", "h:mmAP", "h AP", "hAP")


def _minute(text: str) -> int | None:
    text = text.strip()
    if text in ("24", "24:00"):
        return 24 * 60
    value = QLocale().toTime(text, QLocale.FormatType.ShortFormat)
    if value.isValid():
        return value.hour() * 60 + value.minute()
    plain = QLocale(QLocale.Language.C)
    for pattern in _FORMATS:
        value = plain.toTime(text.upper() if "AP" in pattern else text, pattern)
        if value.isValid():
            return value.hour() * 60 + value.minute()
    return None


def parse_hours(text: str) -> tuple[list[tuple[int, int]], str]:
    """The ranges typed for one day (sorted), and what is wrong ("" when nothing is)."""
    ranges: list[tuple[int, int]] = []
    for part in (p for p in text.split(",") if p.strip()):
        ends = _SPLIT.split(part.strip())
        if len(ends) != 2:
            return [], f"Write a range as start-end, like {hours_text(((540, 780),))}."
        lo, hi = _minute(ends[0]), _minute(ends[1])
        if lo is None or hi is None:
            return [], f"{part.strip()!r} is not a time range."
        if hi <= lo:
            return [], f"{part.strip()} ends before it starts."
        ranges.append((lo, hi))
    ranges.sort()
    for (_lo1, hi1), (lo2, _hi2) in pairwise(ranges):
        if lo2 < hi1:
            return [], "Two ranges overlap."
    return ranges, ""


def show_hours(ranges: list[tuple[int, int]]) -> str:
    return hours_text(tuple(ranges)).replace("\u2013", "-")
