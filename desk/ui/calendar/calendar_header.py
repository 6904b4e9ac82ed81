"""What stays put around the scrolling calendar grid: the column titles above it
(``CalendarHeader``) and the hour labels beside it (``CalendarTimeColumn``).

Both draw from the canvas's own geometry, shifted by where the scroll area has
moved the canvas, so a title always sits over its column and an hour label
beside its line, however far the grid has scrolled either way.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QScrollArea, QToolTip, QWidget

from desk.ui.calendar.calendar_canvas import CalendarCanvas
from desk.ui.calendar.calendar_canvas_paint import DAY_LINE, INK, LINE, MUTED, TODAY, WHITE
from desk.ui.calendar.calendar_layout import (
    GUTTER,
    HEADER_HEIGHT,
    TRACK_LABEL_HEIGHT,
    Column,
)
from desk.ui.widgets.formatting import format_clock


class CalendarHeader(QWidget):
    """Column titles above the scrolling grid, so they stay put while hours scroll.

    It draws from the canvas's own geometry (shifted by the time column's width and
    the canvas's horizontal scroll offset), so the titles always sit over their
    columns; a week with coach tracks gets a row of coach labels under each day.
    """

    def __init__(self, canvas: CalendarCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self.setObjectName("calendarHeader")
        self.setAccessibleName("Calendar columns")
        self.setFixedHeight(HEADER_HEIGHT)
        self.zone_label = ""
        canvas.follow(self)

    def _offset(self) -> float:
        return GUTTER + self._canvas.x()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            track = self.track_at(event.pos().x(), event.pos().y())
            if track is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), track, self)
            return True
        return super().event(event)

    def track_at(self, x: float, y: float) -> str | None:
        """The full name of the coach whose track label is at (x, y), if any."""
        canvas = self._canvas
        grid = canvas.grid
        if y < HEADER_HEIGHT or x < GUTTER:
            return None
        column = grid.column_at(x - self._offset())
        if column is None or not canvas.columns[column].tracks:
            return None
        return canvas.columns[column].tracks[grid.track_at(x - self._offset())].name

    def paintEvent(self, event: QPaintEvent) -> None:
        canvas = self._canvas
        grid = canvas.grid
        painter = QPainter(self)
        painter.fillRect(self.rect(), WHITE)
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.9, 7.0))
        if self.zone_label:
            painter.setFont(small)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(0, 0, GUTTER - 6, HEADER_HEIGHT - 6),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                self.zone_label,
            )
        painter.setClipRect(QRectF(GUTTER, 0, self.width() - GUTTER, self.height()))
        painter.translate(self._offset(), 0)
        for index, column in enumerate(canvas.columns):
            self._paint_title(painter, index, column, base, small)
            if column.tracks:
                self._paint_tracks(painter, index, column, small)
                painter.setPen(QPen(DAY_LINE, 1))
                x = grid.column_left(index + 1)
                painter.drawLine(QPointF(x, HEADER_HEIGHT - 4), QPointF(x, self.height()))
        painter.resetTransform()
        painter.setClipping(False)
        painter.setPen(QPen(LINE, 1))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()

    def _paint_title(
        self, painter: QPainter, index: int, column: Column, base: QFont, small: QFont
    ) -> None:
        grid = self._canvas.grid
        title_font = QFont(base)
        title_font.setBold(True)
        cell = QRectF(grid.column_left(index) + 8, 4, grid.column_width - 12, HEADER_HEIGHT - 8)
        is_today = column.staff_id is None and column.day == self._canvas.today
        painter.setFont(title_font)
        painter.setPen(TODAY if is_today else INK)
        fm = QFontMetricsF(title_font)
        title = fm.elidedText(column.title, Qt.TextElideMode.ElideRight, cell.width())
        painter.drawText(cell, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), title)
        if not column.subtitle:
            return
        painter.setFont(small)
        sub_rect = QRectF(cell.left(), cell.top() + fm.height() + 1, cell.width(), 18)
        if is_today:
            text = f"{column.subtitle} · Today"
            width = QFontMetricsF(small).horizontalAdvance(text) + 12
            pill = QRectF(sub_rect.left() - 4, sub_rect.top() - 1, width, 17)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setBrush(TODAY)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(pill, 8, 8)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(WHITE)
            painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
        else:
            painter.setPen(MUTED)
            painter.drawText(
                sub_rect,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                column.subtitle,
            )

    def _paint_tracks(self, painter: QPainter, index: int, column: Column, small: QFont) -> None:
        """Each coach's label over their track: a bar of their colour, their initials
        (their first name when the track is wide enough)."""
        grid = self._canvas.grid
        font = QFont(small)
        font.setBold(True)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        top = float(HEADER_HEIGHT - 2)
        room = grid.track_width - 4
        # First names when every one fits, else everyone's initials (as the legend).
        firsts = [(t.name.split() or [t.label])[0] for t in column.tracks]
        if any(fm.horizontalAdvance(first) > room for first in firsts):
            firsts = [t.label for t in column.tracks]
        for track_index, track in enumerate(column.tracks):
            left = grid.track_left(index, track_index)
            color = QColor(track.color)
            painter.fillRect(QRectF(left + 2, top, grid.track_width - 4, 3), color)
            text = fm.elidedText(firsts[track_index], Qt.TextElideMode.ElideRight, room)
            painter.setPen(color.darker(120))
            painter.drawText(
                QRectF(left, top + 3, grid.track_width, TRACK_LABEL_HEIGHT - 4),
                int(Qt.AlignmentFlag.AlignCenter),
                text,
            )


class CalendarTimeColumn(QWidget):
    """The hour labels, in the scroll area's left margin: they scroll up and down
    with the grid and stay visible while it scrolls sideways."""

    def __init__(self, canvas: CalendarCanvas, scroll_area: QScrollArea) -> None:
        super().__init__(scroll_area)
        self._canvas = canvas
        self._scroll_area = scroll_area
        self.setObjectName("calendarTimeColumn")
        self.setAccessibleName("Hours")
        scroll_area.setViewportMargins(round(GUTTER), 0, 0, 0)
        scroll_area.viewport().installEventFilter(self)
        scroll_area.verticalScrollBar().valueChanged.connect(self.update)
        canvas.follow(self)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._place()
        return False

    def _place(self) -> None:
        viewport = self._scroll_area.viewport().geometry()
        self.setGeometry(
            viewport.left() - round(GUTTER), viewport.top(), round(GUTTER), viewport.height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        canvas = self._canvas
        grid = canvas.grid
        hours = canvas.hours
        painter = QPainter(self)
        painter.fillRect(self.rect(), WHITE)
        font = QFont(self.font())
        metrics = QFontMetricsF(font)
        labels = {h: format_clock(time(h % 24)) for h in range(hours.first, hours.last + 1)}
        # "10:00 PM" is wider than "22:00": shrink the labels to fit the column.
        room = GUTTER - 12
        widest = max((metrics.horizontalAdvance(t) for t in labels.values()), default=0.0)
        if widest > room and font.pointSizeF() > 0:
            font.setPointSizeF(max(font.pointSizeF() * room / widest, 6.0))
            metrics = QFontMetricsF(font)
        painter.setFont(font)
        offset = canvas.y()
        for hour, text in labels.items():
            y = offset + grid.y_of_minute(hour * 60)
            if y < -20 or y > self.height() + 20:
                continue
            painter.setPen(QPen(LINE, 1))
            painter.drawLine(QPointF(GUTTER - 4, y), QPointF(GUTTER, y))
            painter.setPen(MUTED)
            baseline = y + metrics.ascent() / 2 - 1
            painter.drawText(QPointF(GUTTER - 8 - metrics.horizontalAdvance(text), baseline), text)
        painter.setPen(QPen(LINE, 1))
        painter.drawLine(QPointF(GUTTER - 0.5, 0), QPointF(GUTTER - 0.5, self.height()))
        painter.end()
