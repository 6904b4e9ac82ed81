"""What the calendar grid does with the mouse and keyboard.

``CanvasInput`` is mixed into ``CalendarCanvas``: a press on a block selects it and
may become a drag that moves it; a press on a free slot books it, or the range a
drag across free slots covers. Arrow keys step through the appointments, the menu
key opens the selected one's menu, and hovering shows a tooltip. It reports what
the user asked for through the canvas's signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QHelpEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.ui.calendar.calendar_canvas_paint import PaintedBlock, qrect
from desk.ui.calendar.calendar_layout import (
    SLOT_MINUTES,
    Block,
    Column,
    Grid,
    drop_target,
    minute_of_day,
    slot_at,
    wall_time,
)
from desk.ui.calendar.unpaid_words import UNPAID_TIP
from desk.ui.widgets.formatting import (
    format_time_range,
    format_weekday_day_month,
    label,
)

if TYPE_CHECKING:
    _Base = QWidget
else:
    _Base = object


@dataclass
class Press:
    """A left-button press in progress: on a block (maybe a move) or on a free slot."""

    pos: QPointF
    block: Block | None = None
    slot: tuple[int, datetime] | None = None
    dragging: bool = False
    target: tuple[int, datetime] | None = None
    """Where a dragged block would land, or the slot a create-drag reached."""


class CanvasInput(_Base):
    """Mixed into CalendarCanvas, a QWidget with these attributes and signals."""

    _columns: list[Column]
    _tz: tzinfo
    _blocks: list[Block]
    _painted: list[PaintedBlock]
    _grid: Grid
    _selected: int | None
    _booking_staff: int | None
    _press: Press | None
    _hover: tuple[int, int] | None

    if TYPE_CHECKING:
        booking_requested: ClassVar[Signal]
        appointment_selected: ClassVar[Signal]
        move_requested: ClassVar[Signal]
        context_menu_requested: ClassVar[Signal]

        def booking_staff_at(self, column: int, x: float) -> int | None: ...

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

    def painted_at(self, pos: QPointF) -> PaintedBlock | None:
        """The block under a point; the selected one wins, then the last drawn."""
        hit: PaintedBlock | None = None
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
            self._press = Press(pos, block=painted.block)
            self.appointment_selected.emit(painted.block.appointment.id)
        else:
            slot = slot_at(self._grid, self._columns, pos.x(), pos.y(), self._tz)
            self._press = Press(pos, slot=slot) if slot is not None else None
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
            staff = self.booking_staff_at(column, press.pos.x())
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
                    self.update(qrect(self._grid.slot_rect(*old)).toAlignedRect())
            self._hover = hover

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self.update(qrect(self._grid.slot_rect(*self._hover)).toAlignedRect())
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
            f"{format_weekday_day_month(start)} {format_time_range(start, end)}",
            label(appt.status.value),
        ]
        if appt.unpaid:
            lines.append(UNPAID_TIP)
        if appt.notes:
            lines.append(appt.notes)
        return "\n".join(lines)
