"""The calendar's coaches' hours: time a coach doesn't work greyed, time off as a
labelled block, in the day view's coach columns and the week view's coach tracks.

``paint_availability`` is called by the canvas's paint, under the sessions; it
reads what the calendar's own read on the runner fetched
(``AvailabilityService.for_calendar``), held on the canvas as ``availability``.
A coach with no weekly hours is available any time: nothing is greyed for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen

from desk.services.people.availability_views import StaffCalendarDays
from desk.ui.calendar.calendar_layout import Column, Grid, HourRange, minute_of_day

UNAVAILABLE = QColor(102, 112, 133, 46)
OFF_FILL = QColor(254, 228, 226, 200)
OFF_HATCH = QBrush(QColor(217, 45, 32, 60), Qt.BrushStyle.BDiagPattern)
OFF_INK = QColor("#b42318")
DAY = 24 * 60


def _lanes(columns: Sequence[Column], grid: Grid) -> Iterator[tuple[date, int, float, float]]:
    """(day, staff id, left, width) of every coach's column or track."""
    for index, column in enumerate(columns):
        if column.staff_id is not None:
            yield column.day, column.staff_id, grid.column_left(index), grid.column_width
        for track, lane in enumerate(column.tracks):
            yield column.day, lane.staff_id, grid.track_left(index, track), grid.track_width


def _minutes(
    spans: Sequence[tuple[datetime, datetime]], day: date, tz: tzinfo
) -> list[tuple[int, int]]:
    """The parts of ``spans`` (UTC) on ``day``, as wall-clock minutes of it."""
    found = []
    for start, end in spans:
        lo = max(minute_of_day(start, day, tz), 0)
        hi = min(minute_of_day(end, day, tz), DAY)
        if hi > lo:
            found.append((lo, hi))
    return sorted(found)


def _gaps(windows: list[tuple[int, int]], first: int, last: int) -> list[tuple[int, int]]:
    """The minutes from ``first`` to ``last`` outside ``windows``."""
    gaps, at = [], first
    for lo, hi in windows:
        if lo > at:
            gaps.append((at, min(lo, last)))
        at = max(at, hi)
    if at < last:
        gaps.append((at, last))
    return [(lo, hi) for lo, hi in gaps if hi > lo]


def paint_availability(
    painter: QPainter,
    columns: Sequence[Column],
    grid: Grid,
    hours: HourRange,
    tz: tzinfo,
    availability: Mapping[int, StaffCalendarDays],
    font: QFont,
) -> None:
    """Grey what each coach doesn't work and draw their time off, labelled."""
    if not availability:
        return
    first, last = hours.first * 60, hours.last * 60
    label_font = QFont(font)
    label_font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
    for day, staff_id, left, width in _lanes(columns, grid):
        days = availability.get(staff_id)
        if days is None:
            continue
        if days.keeps_hours:
            for lo, hi in _gaps(_minutes(days.windows, day, tz), first, last):
                top, bottom = grid.y_of_minute(lo), grid.y_of_minute(hi)
                painter.fillRect(QRectF(left, top, width, bottom - top), UNAVAILABLE)
        for block in days.time_off:
            for lo, hi in _minutes([(block.starts_at, block.ends_at)], day, tz):
                lo, hi = max(lo, first), min(hi, last)
                if hi <= lo:
                    continue
                rect = QRectF(left + 1, grid.y_of_minute(lo), width - 2,
                              grid.y_of_minute(hi) - grid.y_of_minute(lo))  # fmt: skip
                painter.fillRect(rect, OFF_FILL)
                painter.fillRect(rect, OFF_HATCH)
                painter.setPen(QPen(OFF_INK, 1))
                painter.setFont(label_font)
                text = f"Off: {block.note}" if block.note else "Off"
                painter.drawText(
                    rect.adjusted(4, 2, -2, 0),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                    painter.fontMetrics().elidedText(
                        text, Qt.TextElideMode.ElideRight, max(int(rect.width()) - 6, 0)
                    ),
                )
