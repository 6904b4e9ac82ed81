"""The calendar grid: paints hours, columns and appointment blocks; reports mouse gestures.

It knows nothing of services. The screen (``CalendarView``) hands it columns
and appointments and listens to its signals; all geometry comes from
``calendar_layout`` and is computed when the data or the size changes, so a
paint only draws rectangles and strings that already exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.ui.calendar.calendar_layout import (
    SLOT_MINUTES,
    Block,
    Column,
    Grid,
    HourRange,
    Rect,
    drop_target,
    layout_blocks,
    minute_of_day,
    slot_at,
    wall_time,
)
from desk.ui.widgets.formatting import label

HOUR_HEIGHT = 48.0
"""Pixels per hour: a 45-minute session still has room for two lines of text."""
GUTTER = 56.0
MIN_COLUMN_WIDTH = 120.0
HEADER_HEIGHT = 46

_INK = QColor("#101828")
_MUTED = QColor("#667085")
_LINE = QColor("#dfe3e8")
_HALF_LINE = QColor("#f0f2f5")
_PAST = QColor("#f2f4f7")
_NOW = QColor("#d92d20")
_TODAY = QColor("#1570ef")
_HOVER = QColor(21, 112, 239, 28)
_WHITE = QColor("#ffffff")

STATUS_NOTES = {
    AppointmentStatus.ATTENDED: "Attended",
    AppointmentStatus.NO_SHOW: "No-show",
    AppointmentStatus.CANCELLED: "Cancelled",
    AppointmentStatus.LATE_CANCELLED: "Late cancel",
}


def _mix(color: QColor, other: QColor, amount: float) -> QColor:
    """``color`` moved ``amount`` (0..1) of the way toward ``other``."""
    return QColor(
        round(color.red() + (other.red() - color.red()) * amount),
        round(color.green() + (other.green() - color.green()) * amount),
        round(color.blue() + (other.blue() - color.blue()) * amount),
    )


def _readable_on(color: QColor) -> QColor:
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return _INK if luminance > 160 else _WHITE


def _hhmm(moment: datetime) -> str:
    """ "09:05". Not strftime: it imports ``time`` on every call, through PySide's
    import hook, which made laying out a busy week a third slower."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _qrect(rect: Rect) -> QRectF:
    return QRectF(rect.x, rect.y, rect.width, rect.height)


@dataclass
class _Painted:
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


@dataclass
class _Press:
    """A left-button press in progress: on a block (maybe a move) or on a free slot."""

    pos: QPointF
    block: Block | None = None
    slot: tuple[int, datetime] | None = None
    dragging: bool = False
    target: tuple[int, datetime] | None = None
    """Where a dragged block would land, or the slot a create-drag reached."""


class CalendarCanvas(QWidget):
    """The scrollable day or week grid (one hour is ``HOUR_HEIGHT`` pixels)."""

    booking_requested = Signal(object, object)
    """(staff id or None, starts_at UTC): an empty slot was clicked or dragged across."""
    appointment_selected = Signal(int)
    move_requested = Signal(int, object, object)
    """(appointment id, new start UTC, new staff id or None to keep the same one)."""
    context_menu_requested = Signal(int, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarCanvas")
        self.setAccessibleName("Calendar")
        self.setAccessibleDescription(
            "Click an empty time to book it; drag an appointment to move it. "
            "Arrow keys step through the appointments; the menu key opens the selected one's menu."
        )
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._columns: list[Column] = []
        self._tz: tzinfo = UTC
        self._hours = HourRange()
        self._blocks: list[Block] = []
        self._painted: list[_Painted] = []
        self._grid = Grid(0, self._hours, 0.0, HOUR_HEIGHT, GUTTER)
        self._selected: int | None = None
        self._now: datetime | None = None
        self._booking_staff: int | None = None
        self._press: _Press | None = None
        self._hover: tuple[int, int] | None = None
        self._followers: list[QWidget] = []
        self.setMinimumHeight(round(self._grid.height))

    # --- data -----------------------------------------------------------------------------

    def set_data(
        self,
        columns: list[Column],
        appointments: list[AppointmentView],
        *,
        hours: HourRange,
        tz: tzinfo,
        now: datetime,
        booking_staff_id: int | None = None,
    ) -> None:
        """Show these appointments in these columns; lays everything out once.

        ``booking_staff_id`` is the staff member a click in a week-view column
        books with (the staff filter's choice), None when any could.
        """
        self._columns = list(columns)
        self._tz = tz
        self._hours = hours
        self._now = now
        self._booking_staff = booking_staff_id
        self._blocks = layout_blocks(appointments, self._columns, hours, tz)
        self._press = None
        self._hover = None
        width = GUTTER + len(self._columns) * MIN_COLUMN_WIDTH
        grid = Grid(len(self._columns), hours, float(self.width()), HOUR_HEIGHT, GUTTER)
        self.setMinimumSize(round(width), round(grid.height))
        self._relayout()

    def set_now(self, now: datetime) -> None:
        """Move the red "now" line (the screen calls this every minute)."""
        self._now = now
        self.update()

    def set_selected(self, appointment_id: int | None) -> None:
        if appointment_id == self._selected:
            return
        self._selected = appointment_id
        self.update()

    @property
    def columns(self) -> list[Column]:
        return self._columns

    @property
    def grid(self) -> Grid:
        return self._grid

    @property
    def blocks(self) -> list[Block]:
        """The blocks laid out for the current data (tests and the screen read them)."""
        return self._blocks

    @property
    def hours(self) -> HourRange:
        return self._hours

    @property
    def today(self) -> date | None:
        return self._now.astimezone(self._tz).date() if self._now is not None else None

    def block_rect(self, appointment_id: int) -> QRect | None:
        """Where an appointment's (first) block is drawn, in canvas pixels."""
        for painted in self._painted:
            if painted.block.appointment.id == appointment_id:
                return painted.rect.toRect()
        return None

    def slot_point(self, column: int, local: datetime) -> QPoint:
        """The middle of the quarter hour starting at ``local`` in ``column``."""
        minute = minute_of_day(local, self._columns[column].day, self._tz)
        rect = self._grid.slot_rect(column, minute)
        return QPoint(round(rect.x + rect.width / 2), round(rect.y + rect.height / 2))

    def y_of_hour(self, hour: float) -> int:
        return round(self._grid.y_of_minute(hour * 60))

    def hour_at(self, y: float) -> float:
        return self._hours.first + (y - self._grid.pad_top) / HOUR_HEIGHT

    def sizeHint(self) -> QSize:
        return QSize(round(GUTTER + 7 * MIN_COLUMN_WIDTH), round(self._grid.height))

    # --- layout ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        """Pixel rectangles, colors and elided text of every block, for the current size."""
        self._grid = Grid(len(self._columns), self._hours, float(self.width()), HOUR_HEIGHT, GUTTER)
        base = QFont(self.font())
        name_font = QFont(base)
        name_font.setBold(True)
        detail_font = QFont(base)
        detail_font.setPointSizeF(max(base.pointSizeF() * 0.92, 7.0))
        struck = QFont(name_font)
        struck.setStrikeOut(True)
        metrics = {
            id(name_font): QFontMetricsF(name_font),
            id(detail_font): QFontMetricsF(detail_font),
            id(struck): QFontMetricsF(struck),
        }
        self._painted = []
        for block in self._blocks:
            self._painted.append(
                self._prepare(block, name_font, struck, detail_font, metrics),
            )
        self.update()
        # A direct update, not a signal: layout runs on every resize.
        for follower in self._followers:
            follower.update()

    def follow(self, widget: QWidget) -> None:
        """Repaint ``widget`` (the column header) whenever the layout changes."""
        self._followers.append(widget)

    def _prepare(
        self,
        block: Block,
        name_font: QFont,
        struck: QFont,
        detail_font: QFont,
        metrics: dict[int, QFontMetricsF],
    ) -> _Painted:
        appt = block.appointment
        rect = _qrect(self._grid.block_rect(block))
        color = QColor(appt.color)
        if not color.isValid():
            color = QColor("#98a2b3")
        status = appt.status
        hatch: QBrush | None = None
        dashed = False
        check = False
        if status == AppointmentStatus.ATTENDED:
            fill, stripe = color, color.darker(130)
            ink = _readable_on(fill)
            check = True
        elif status == AppointmentStatus.NO_SHOW:
            fill, stripe, ink = _mix(color, _WHITE, 0.85), color, _INK
            hatch = QBrush(_mix(color, _WHITE, 0.35), Qt.BrushStyle.BDiagPattern)
        elif status == AppointmentStatus.LATE_CANCELLED:
            grey = QColor("#98a2b3")
            fill, stripe, ink = _mix(color, _WHITE, 0.9), grey, _MUTED
            hatch = QBrush(_mix(grey, _WHITE, 0.3), Qt.BrushStyle.BDiagPattern)
        elif status == AppointmentStatus.CANCELLED:
            fill, stripe, ink = QColor("#f2f4f7"), QColor("#d0d5dd"), QColor("#98a2b3")
            dashed = True
        else:
            fill, stripe, ink = _mix(color, _WHITE, 0.78), color, _INK
        name = struck if status == AppointmentStatus.CANCELLED else name_font
        painted = _Painted(block, rect, fill, stripe, ink, hatch, dashed, check)
        painted.lines = self._text_lines(
            block, rect, name, detail_font, metrics, extra_right=14.0 if check else 0.0
        )
        return painted

    def _text_lines(
        self,
        block: Block,
        rect: QRectF,
        name_font: QFont,
        detail_font: QFont,
        metrics: dict[int, QFontMetricsF],
        extra_right: float,
    ) -> list[tuple[QFont, str, float]]:
        appt = block.appointment
        start = appt.starts_at.astimezone(self._tz)
        end = appt.ends_at.astimezone(self._tz)
        note = STATUS_NOTES.get(appt.status)
        begins = _hhmm(start)
        times = f"{begins}\N{EN DASH}{_hhmm(end)}"
        name_metrics = metrics[id(name_font)]
        detail_metrics = metrics[id(detail_font)]
        room = rect.height() - 4
        narrow = rect.width() < 110
        fits = int(room // detail_metrics.height())
        if fits >= 3:
            wanted = [
                (name_font, appt.member_name),
                (detail_font, f"{times} · {note}" if note else times),
                (detail_font, appt.appointment_type),
            ]
        elif fits == 2:
            first = f"{appt.member_name} · {note}" if note and not narrow else appt.member_name
            wanted = [(name_font, first), (detail_font, f"{begins} {appt.appointment_type}")]
        elif narrow:
            # Side-by-side lanes: the height already says when; the name says who.
            wanted = [(name_font, appt.member_name)]
        else:
            wanted = [(name_font, f"{begins} {appt.member_name}")]
        width = rect.width() - 9 - 3
        lines: list[tuple[QFont, str, float]] = []
        y = rect.top() + 2
        for index, (font, text) in enumerate(wanted):
            fm = name_metrics if font is name_font else detail_metrics
            if lines and y + fm.height() > rect.bottom():
                break
            room_right = extra_right if index == 0 else 0.0
            elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(width - room_right, 0))
            if len(elided.rstrip("\N{HORIZONTAL ELLIPSIS}")) < 2:
                break  # a lone "…" says nothing; the tooltip and panel do
            lines.append((font, elided, y + fm.ascent()))
            y += fm.height()
        return lines

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        clip = QRectF(event.rect())
        painter.fillRect(clip, _WHITE)
        self._paint_past(painter)
        self._paint_hours(painter, clip)
        self._paint_hover(painter)
        selected: _Painted | None = None
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
            painter.setPen(QPen(_INK, 2))
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
                painter.fillRect(QRectF(left, top, grid.column_width, bottom - top), _PAST)
            elif column.day == today:
                y = min(
                    max(grid.y_of_minute(minute_of_day(self._now, today, self._tz)), top), bottom
                )
                painter.fillRect(QRectF(left, top, grid.column_width, y - top), _PAST)

    def _paint_hours(self, painter: QPainter, clip: QRectF) -> None:
        grid = self._grid
        right = float(self.width())
        painter.setFont(self.font())
        metrics = QFontMetricsF(self.font())
        for hour in range(self._hours.first, self._hours.last + 1):
            y = grid.y_of_minute(hour * 60)
            if y < clip.top() - 20 or y > clip.bottom() + 20:
                continue
            painter.setPen(QPen(_LINE, 1))
            painter.drawLine(QPointF(grid.gutter - 4, y), QPointF(right, y))
            if hour < self._hours.last:
                half = y + HOUR_HEIGHT / 2
                painter.setPen(QPen(_HALF_LINE, 1))
                painter.drawLine(QPointF(grid.gutter, half), QPointF(right, half))
            text = f"{hour % 24:02d}:00"
            painter.setPen(_MUTED)
            width = metrics.horizontalAdvance(text)
            baseline = y + metrics.ascent() / 2 - 1
            painter.drawText(QPointF(grid.gutter - 8 - width, baseline), text)
        painter.setPen(QPen(_LINE, 1))
        top, bottom = grid.y_at(0.0), grid.y_at(1.0)
        for index in range(len(self._columns) + 1):
            x = grid.column_left(index)
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))

    def _create_rect(self) -> QRectF | None:
        """The range a drag across empty slots covers (it books from where it started)."""
        press = self._press
        if press is None or press.slot is None or not press.dragging:
            return None
        column = press.slot[0]
        day = self._columns[column].day
        start = minute_of_day(press.slot[1], day, self._tz)
        end = start + SLOT_MINUTES
        if press.target is not None:
            reached = minute_of_day(press.target[1], day, self._tz)
            start, end = min(start, reached), max(start, reached) + SLOT_MINUTES
        top = self._grid.y_of_minute(start)
        return QRectF(
            self._grid.column_left(column) + 1,
            top,
            self._grid.column_width - 2,
            self._grid.y_of_minute(end) - top,
        )

    def _ghost_rect(self) -> QRectF | None:
        """Where a dragged block would land."""
        press = self._press
        if press is None or press.block is None or not press.dragging or press.target is None:
            return None
        column, local = press.target
        appt = press.block.appointment
        start = minute_of_day(local, self._columns[column].day, self._tz)
        length = (appt.ends_at - appt.starts_at).total_seconds() / 60
        top = self._grid.y_of_minute(start)
        return QRectF(
            self._grid.column_left(column) + 1,
            top + 1,
            self._grid.column_width - 3,
            self._grid.y_of_minute(start + length) - top - 2,
        )

    def _paint_hover(self, painter: QPainter) -> None:
        created = self._create_rect()
        if created is not None:
            painter.fillRect(created, QColor(21, 112, 239, 45))
            painter.setPen(QPen(_TODAY, 1))
            painter.drawRect(created.adjusted(0, 0, -1, -1))
            return
        if self._hover is None or self._press is not None:
            return
        column, minute = self._hover
        rect = _qrect(self._grid.slot_rect(column, minute)).adjusted(1, 0, -1, 0)
        painter.fillRect(rect, _HOVER)
        painter.setPen(_TODAY)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        painter.setFont(font)
        text = f"+ {minute // 60 % 24:02d}:{minute % 60:02d}"
        painter.drawText(
            rect.adjusted(6, 0, 0, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )

    def _paint_block(self, painter: QPainter, painted: _Painted, *, dim: bool) -> None:
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
        x = rect.left() + 9
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
        painter.fillRect(rect, _mix(QColor(appt.color), _WHITE, 0.6))
        painter.setPen(QPen(_INK, 1, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(_INK)
        text = f"{press.target[1]:%a %H:%M}  {appt.member_name}"
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
        painter.setPen(QPen(_NOW, 2))
        left = grid.column_left(columns[0])
        right = grid.column_left(columns[-1] + 1)
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setBrush(_NOW)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(left, y), 4.5, 4.5)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # --- mouse ----------------------------------------------------------------------------

    def painted_at(self, pos: QPointF) -> _Painted | None:
        """The block under a point; the selected one wins, then the last drawn."""
        hit: _Painted | None = None
        for painted in self._painted:
            if painted.rect.contains(pos):
                if painted.block.appointment.id == self._selected:
                    return painted
                hit = painted
        return hit

    def appointment_at(self, pos: QPoint) -> int | None:
        painted = self.painted_at(QPointF(pos))
        return painted.block.appointment.id if painted is not None else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        painted = self.painted_at(pos)
        if painted is not None:
            self._press = _Press(pos, block=painted.block)
            self.appointment_selected.emit(painted.block.appointment.id)
        else:
            slot = slot_at(self._grid, self._columns, pos.x(), pos.y(), self._tz)
            self._press = _Press(pos, slot=slot) if slot is not None else None
        self._hover = None
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        press = self._press
        if press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            self._track_hover(pos)
            return
        if not press.dragging:
            moved = (pos - press.pos).manhattanLength()
            if moved < QApplication.startDragDistance():
                return
            press.dragging = True
            if press.block is not None:
                # The grabbed block dims while it is dragged.
                self.update(self._block_area(press.block.appointment.id))
        before = self._overlay_area()
        if press.block is not None:
            if press.block.appointment.status == AppointmentStatus.BOOKED:
                press.target = drop_target(
                    self._grid,
                    self._columns,
                    press.block,
                    pos.y() - press.pos.y(),
                    pos.x(),
                    self._tz,
                )
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif press.slot is not None:
            column = press.slot[0]
            minute = self._grid.minute_at(
                min(max(pos.y(), self._grid.pad_top), self._grid.y_at(1.0) - 1)
            )
            if minute is not None:
                snapped = int(minute // SLOT_MINUTES) * SLOT_MINUTES
                press.target = (column, wall_time(self._columns[column].day, snapped, self._tz))
        # Repaint only where the overlay was and is: a drag over a busy week stays smooth.
        self.update(before.united(self._overlay_area()))

    def _overlay_area(self) -> QRect:
        rect = self._ghost_rect() or self._create_rect()
        return rect.toAlignedRect().adjusted(-2, -2, 2, 2) if rect is not None else QRect()

    def _block_area(self, appointment_id: int) -> QRect:
        area = QRect()
        for painted in self._painted:
            if painted.block.appointment.id == appointment_id:
                area = area.united(painted.rect.toAlignedRect().adjusted(-2, -2, 2, 2))
        return area

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press = self._press
        self._press = None
        self.unsetCursor()
        self.update()
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if press.block is not None:
            if press.dragging and press.target is not None:
                self._request_move(press.block, *press.target)
            return
        if press.slot is not None:
            column, local = press.slot
            staff = self._columns[column].staff_id
            if staff is None:
                staff = self._booking_staff
            self.booking_requested.emit(staff, local.astimezone(UTC))

    def _request_move(self, block: Block, column: int, local: datetime) -> None:
        appt = block.appointment
        new_start = local.astimezone(UTC)
        target_staff = self._columns[column].staff_id
        new_staff = target_staff if target_staff not in (None, appt.staff_id) else None
        if new_start == appt.starts_at and new_staff is None:
            return
        self.move_requested.emit(appt.id, new_start, new_staff)

    def _track_hover(self, pos: QPointF) -> None:
        painted = self.painted_at(pos)
        hover = None if painted is not None else self._grid.slot_at(pos.x(), pos.y())
        if painted is not None and painted.block.appointment.status == AppointmentStatus.BOOKED:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        elif painted is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        if hover != self._hover:
            for old in (self._hover, hover):
                if old is not None:
                    self.update(_qrect(self._grid.slot_rect(*old)).toAlignedRect())
            self._hover = hover

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self.update(_qrect(self._grid.slot_rect(*self._hover)).toAlignedRect())
            self._hover = None
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._press is not None:
            self._press = None
            self.unsetCursor()
            self.update()
            return
        steps = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Left: -1,
        }
        if key in steps and self._blocks:
            self._step_selection(steps[Qt.Key(key)])
            return
        super().keyPressEvent(event)

    def _step_selection(self, step: int) -> None:
        """Select the next (or previous) appointment in time order, for keyboard users."""
        order: list[int] = []
        for block in sorted(
            self._blocks, key=lambda b: (b.appointment.starts_at, b.column, b.appointment.id)
        ):
            if block.appointment.id not in order:
                order.append(block.appointment.id)
        if self._selected in order:
            index = min(max(order.index(self._selected) + step, 0), len(order) - 1)
        else:
            index = 0 if step > 0 else len(order) - 1
        self.appointment_selected.emit(order[index])

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        painted = self.painted_at(QPointF(event.pos()))
        where = event.globalPos()
        if event.reason() == QContextMenuEvent.Reason.Keyboard and self._selected is not None:
            area = self._block_area(self._selected)
            if not area.isEmpty():
                painted = self.painted_at(QPointF(area.center()))
                where = self.mapToGlobal(area.center())
        if painted is None:
            super().contextMenuEvent(event)
            return
        appointment_id = painted.block.appointment.id
        self.appointment_selected.emit(appointment_id)
        self.context_menu_requested.emit(appointment_id, where)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            painted = self.painted_at(QPointF(event.pos()))
            if painted is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._tooltip(painted.block.appointment), self)
            return True
        return super().event(event)

    def _tooltip(self, appt: AppointmentView) -> str:
        start = appt.starts_at.astimezone(self._tz)
        end = appt.ends_at.astimezone(self._tz)
        lines = [
            appt.member_name,
            f"{appt.appointment_type} with {appt.staff_name}",
            f"{start:%a} {start.day} {start:%b} {start:%H:%M}\N{EN DASH}{end:%H:%M}",
            label(appt.status.value),
        ]
        if appt.notes:
            lines.append(appt.notes)
        return "\n".join(lines)


class CalendarHeader(QWidget):
    """Column titles above the scrolling grid, so they stay put while hours scroll.

    It draws from the canvas's own geometry (shifted by the canvas's horizontal
    scroll offset), so the titles always sit over their columns.
    """

    def __init__(self, canvas: CalendarCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self.setObjectName("calendarHeader")
        self.setAccessibleName("Calendar columns")
        self.setFixedHeight(HEADER_HEIGHT)
        self.zone_label = ""
        canvas.follow(self)

    def paintEvent(self, event: QPaintEvent) -> None:
        canvas = self._canvas
        grid = canvas.grid
        today = canvas.today
        painter = QPainter(self)
        painter.fillRect(self.rect(), _WHITE)
        painter.translate(canvas.x(), 0)
        base = QFont(self.font())
        title_font = QFont(base)
        title_font.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.9, 7.0))
        if self.zone_label:
            painter.setFont(small)
            painter.setPen(_MUTED)
            painter.drawText(
                QRectF(0, 0, grid.gutter - 6, HEADER_HEIGHT - 6),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                self.zone_label,
            )
        for index, column in enumerate(canvas.columns):
            left = grid.column_left(index)
            cell = QRectF(left + 8, 4, grid.column_width - 12, HEADER_HEIGHT - 8)
            is_today = column.staff_id is None and column.day == today
            painter.setFont(title_font)
            painter.setPen(_TODAY if is_today else _INK)
            fm = QFontMetricsF(title_font)
            title = fm.elidedText(column.title, Qt.TextElideMode.ElideRight, cell.width())
            painter.drawText(
                cell, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), title
            )
            if column.subtitle:
                painter.setFont(small)
                sub_rect = QRectF(cell.left(), cell.top() + fm.height() + 1, cell.width(), 18)
                if is_today:
                    text = f"{column.subtitle} · Today"
                    width = QFontMetricsF(small).horizontalAdvance(text) + 12
                    pill = QRectF(sub_rect.left() - 4, sub_rect.top() - 1, width, 17)
                    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                    painter.setBrush(_TODAY)
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.drawRoundedRect(pill, 8, 8)
                    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                    painter.setPen(_WHITE)
                    painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
                else:
                    painter.setPen(_MUTED)
                    painter.drawText(
                        sub_rect,
                        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                        column.subtitle,
                    )
        painter.resetTransform()
        painter.setPen(QPen(_LINE, 1))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()
