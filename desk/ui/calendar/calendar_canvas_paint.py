"""How the calendar grid is drawn (its column header and hour labels: ``calendar_header``).

``CanvasPainting`` is mixed into ``CalendarCanvas``: it draws the rectangles and
strings the canvas prepared when its data or size changed (``PaintedBlock``), so a
paint only fills and writes, never lays out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QWidget

from desk.ui.calendar.availability_paint import paint_availability
from desk.ui.calendar.calendar_layout import (
    HOUR_HEIGHT,
    Block,
    Column,
    Grid,
    HourRange,
    Rect,
    minute_of_day,
)
from desk.ui.widgets.formatting import format_clock, format_weekday_time

if TYPE_CHECKING:
    from desk.services.people.availability_views import StaffCalendarDays
    from desk.ui.calendar.calendar_canvas_input import Press

    _Base = QWidget
else:
    _Base = object

INK = QColor("#101828")
MUTED = QColor("#667085")
LINE = QColor("#dfe3e8")
DAY_LINE = QColor("#b9c0cb")
"""Between the days of a week whose days have coach tracks (tracks get LINE)."""
HALF_LINE = QColor("#f0f2f5")
TRACK_SHADE = QColor(16, 24, 40, 10)
"""Every other coach track of a week-view day, so each track reads as a lane."""
PAST = QColor("#f2f4f7")
NOW = QColor("#d92d20")
TODAY = QColor("#1570ef")
HOVER = QColor(21, 112, 239, 28)
WHITE = QColor("#ffffff")


def mix(color: QColor, other: QColor, amount: float) -> QColor:
    """``color`` moved ``amount`` (0..1) of the way toward ``other``."""
    return QColor(
        round(color.red() + (other.red() - color.red()) * amount),
        round(color.green() + (other.green() - color.green()) * amount),
        round(color.blue() + (other.blue() - color.blue()) * amount),
    )


def readable_on(color: QColor) -> QColor:
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return INK if luminance > 160 else WHITE


def qrect(rect: Rect) -> QRectF:
    return QRectF(rect.x, rect.y, rect.width, rect.height)


@dataclass
class PaintedBlock:
    """Everything a paint needs for one block, prepared ahead of time."""

    block: Block
    rect: QRectF
    fill: QColor
    stripe: QColor
    ink: QColor
    hatch: QBrush | None
    dashed: bool
    check: bool
    lines: list[tuple[QFont, str, float]] = field(default_factory=list)
    """(font, already elided text, baseline y)."""
    indent: float = 9.0
    """Where the text starts, right of the left edge (past the stripe)."""


class CanvasPainting(_Base):
    """Mixed into CalendarCanvas, a QWidget with these attributes and the drag's rectangles."""

    _columns: list[Column]
    _tz: tzinfo
    _hours: HourRange
    _painted: list[PaintedBlock]
    _grid: Grid
    _selected: int | None
    _now: datetime | None
    _press: Press | None
    _hover: tuple[int, int] | None
    availability: dict[int, StaffCalendarDays]

    if TYPE_CHECKING:

        @property
        def today(self) -> date | None: ...
        def hovered_track(self) -> int | None: ...
        def _create_rect(self) -> QRectF | None: ...
        def _ghost_rect(self) -> QRectF | None: ...

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        clip = QRectF(event.rect())
        painter.fillRect(clip, WHITE)
        self._paint_past(painter)
        paint_availability(painter, self._columns, self._grid, self._hours, self._tz,
                           self.availability, self.font())  # fmt: skip
        self._paint_hours(painter, clip)
        self._paint_hover(painter)
        selected: PaintedBlock | None = None
        for painted in self._painted:
            if not painted.rect.intersects(clip):
                continue
            if painted.block.appointment.id == self._selected:
                selected = painted
                continue
            self._paint_block(painter, painted, dim=False)
        if selected is not None:
            dragging = self._press is not None and self._press.dragging
            self._paint_block(painter, selected, dim=dragging)
            painter.setPen(QPen(INK, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(selected.rect.adjusted(1, 1, -1, -1))
        self._paint_ghost(painter)
        self._paint_now(painter)
        painter.end()

    def _paint_past(self, painter: QPainter) -> None:
        today = self.today
        if today is None or self._now is None:
            return
        grid = self._grid
        top, bottom = grid.y_at(0.0), grid.y_at(1.0)
        for index, column in enumerate(self._columns):
            left = grid.column_left(index)
            if column.day < today:
                painter.fillRect(QRectF(left, top, grid.column_width, bottom - top), PAST)
            elif column.day == today:
                y = min(
                    max(grid.y_of_minute(minute_of_day(self._now, today, self._tz)), top), bottom
                )
                painter.fillRect(QRectF(left, top, grid.column_width, y - top), PAST)

    def _paint_hours(self, painter: QPainter, clip: QRectF) -> None:
        """Hour and half-hour lines, then the column (and track) lines; the hour
        labels are CalendarTimeColumn's."""
        grid = self._grid
        right = float(self.width())
        for hour in range(self._hours.first, self._hours.last + 1):
            y = grid.y_of_minute(hour * 60)
            if y < clip.top() - 20 or y > clip.bottom() + 20:
                continue
            painter.setPen(QPen(LINE, 1))
            painter.drawLine(QPointF(grid.gutter, y), QPointF(right, y))
            if hour < self._hours.last:
                half = y + HOUR_HEIGHT / 2
                painter.setPen(QPen(HALF_LINE, 1))
                painter.drawLine(QPointF(grid.gutter, half), QPointF(right, half))
        top, bottom = grid.y_at(0.0), grid.y_at(1.0)
        if grid.tracks > 1:
            for index in range(len(self._columns)):
                for track in range(1, grid.tracks, 2):
                    x = grid.track_left(index, track)
                    painter.fillRect(QRectF(x, top, grid.track_width, bottom - top), TRACK_SHADE)
            painter.setPen(QPen(LINE, 1, Qt.PenStyle.DotLine))
            for index in range(len(self._columns)):
                for track in range(1, grid.tracks):
                    x = grid.track_left(index, track)
                    painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setPen(QPen(DAY_LINE if grid.tracks > 1 else LINE, 1))
        for index in range(len(self._columns) + 1):
            x = grid.column_left(index)
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))

    def _paint_hover(self, painter: QPainter) -> None:
        created = self._create_rect()
        if created is not None:
            painter.fillRect(created, QColor(21, 112, 239, 45))
            painter.setPen(QPen(TODAY, 1))
            painter.drawRect(created.adjusted(0, 0, -1, -1))
            return
        if self._hover is None or self._press is not None:
            return
        column, minute = self._hover
        rect = qrect(self._grid.slot_rect(column, minute)).adjusted(1, 0, -1, 0)
        track = self.hovered_track()
        if track is not None:
            # The coach's track only: that is who the click books with.
            rect.setLeft(self._grid.track_left(column, track) + 1)
            rect.setWidth(self._grid.track_width - 2)
        painter.fillRect(rect, HOVER)
        painter.setPen(TODAY)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        painter.setFont(font)
        text = f"+ {format_clock(time(minute // 60 % 24, minute % 60))}"
        if rect.width() < 70:
            text = "+"
        painter.drawText(
            rect.adjusted(6, 0, 0, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )

    def _paint_block(self, painter: QPainter, painted: PaintedBlock, *, dim: bool) -> None:
        rect = painted.rect
        if dim:
            painter.setOpacity(0.35)
        painter.fillRect(rect, painted.fill)
        if painted.hatch is not None:
            painter.fillRect(rect, painted.hatch)
        painter.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), painted.stripe)
        if painted.dashed:
            painter.setPen(QPen(painted.stripe, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.setPen(painted.ink)
        x = rect.left() + painted.indent
        for font, text, baseline in painted.lines:
            painter.setFont(font)
            painter.drawText(QPointF(x, baseline), text)
        if painted.check and rect.width() > 24 and rect.height() > 12:
            self._paint_check(painter, QPointF(rect.right() - 13, rect.top() + 4), painted.ink)
        if dim:
            painter.setOpacity(1.0)

    @staticmethod
    def _paint_check(painter: QPainter, at: QPointF, color: QColor) -> None:
        path = QPainterPath(QPointF(at.x(), at.y() + 5))
        path.lineTo(at.x() + 3.5, at.y() + 8.5)
        path.lineTo(at.x() + 10, at.y() + 1)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(color, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_ghost(self, painter: QPainter) -> None:
        rect = self._ghost_rect()
        press = self._press
        if rect is None or press is None or press.block is None or press.target is None:
            return
        appt = press.block.appointment
        painter.fillRect(rect, mix(QColor(appt.color), WHITE, 0.6))
        painter.setPen(QPen(INK, 1, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(INK)
        text = f"{format_weekday_time(press.target[1])}  {appt.member_name}"
        painter.drawText(
            rect.adjusted(8, 2, -4, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            text,
        )

    def _paint_now(self, painter: QPainter) -> None:
        today = self.today
        if today is None or self._now is None:
            return
        minute = minute_of_day(self._now, today, self._tz)
        if not self._hours.first * 60 <= minute <= self._hours.last * 60:
            return
        grid = self._grid
        y = grid.y_of_minute(minute)
        columns = [i for i, c in enumerate(self._columns) if c.day == today]
        if not columns:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(NOW, 2))
        left = grid.column_left(columns[0])
        right = grid.column_left(columns[-1] + 1)
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setBrush(NOW)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(left, y), 4.5, 4.5)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
