"""The calendar grid: paints hours, columns and appointment blocks; reports mouse gestures.

This file holds its data and layout; ``calendar_canvas_paint`` draws it and
``calendar_canvas_input`` turns presses, drags and keys into its signals.
It knows nothing of services. The screen (``CalendarView``) hands it columns
and appointments and listens to its signals; all geometry comes from
``calendar_layout`` and is computed when the data or the size changes, so a
paint only draws rectangles and strings that already exist.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QWidget

from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.services.people.availability_views import StaffCalendarDays
from desk.ui.calendar.calendar_canvas_input import CanvasInput, Press
from desk.ui.calendar.calendar_canvas_paint import (
    INK,
    MUTED,
    WHITE,
    CanvasPainting,
    PaintedBlock,
    mix,
    qrect,
    readable_on,
)
from desk.ui.calendar.calendar_layout import (
    HEADER_HEIGHT,
    HOUR_HEIGHT,
    MIN_COLUMN_WIDTH,
    TRACK_LABEL_HEIGHT,
    Block,
    Column,
    Grid,
    HourRange,
    layout_blocks,
    min_column_width,
    minute_of_day,
)
from desk.ui.calendar.group_roster import short_label
from desk.ui.calendar.unpaid_words import unpaid_note
from desk.ui.widgets.formatting import format_clock

NARROW = 70.0
"""Blocks narrower than this (a coach's track in a busy week) show the member's initials."""

STATUS_NOTES = {
    AppointmentStatus.ATTENDED: "Attended",
    AppointmentStatus.NO_SHOW: "No-show",
    AppointmentStatus.CANCELLED: "Cancelled",
    AppointmentStatus.LATE_CANCELLED: "Late cancel",
}


class CalendarCanvas(CanvasInput, CanvasPainting, QWidget):
    """The scrollable day or week grid (one hour is ``HOUR_HEIGHT`` pixels).

    The hour labels are not on it: ``CalendarTimeColumn`` draws them beside the
    scroll area, so they stay visible while the grid scrolls sideways.
    """

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
        self._painted: list[PaintedBlock] = []
        self._grid = Grid(0, self._hours, 0.0, HOUR_HEIGHT, 0.0)
        self._pointer_x: float | None = None
        """Where the mouse last moved over the canvas: the hovered track."""
        self._selected: int | None = None
        self._now: datetime | None = None
        self._booking_staff: int | None = None
        self._press: Press | None = None
        self._hover: tuple[int, int] | None = None
        self.availability: dict[int, StaffCalendarDays] = {}
        """Each coach's working time and time off in view (availability_paint)."""
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
        width = len(self._columns) * min_column_width(self._columns)
        grid = self._new_grid()
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

    def slot_point(self, column: int, local: datetime, track: int | None = None) -> QPoint:
        """The middle of the quarter hour starting at ``local`` in ``column`` (in its
        ``track``, when it has coach tracks)."""
        minute = minute_of_day(local, self._columns[column].day, self._tz)
        rect = self._grid.slot_rect(column, minute)
        x = rect.x + rect.width / 2
        if track is not None:
            x = self._grid.track_left(column, track) + self._grid.track_width / 2
        return QPoint(round(x), round(rect.y + rect.height / 2))

    def booking_staff_at(self, column: int, x: float) -> int | None:
        """Who a click at ``x`` in ``column`` books with: the day-view column's staff
        member, the coach of the track under ``x``, else the staff filter's choice."""
        target = self._columns[column]
        if target.staff_id is not None:
            return target.staff_id
        if target.tracks:
            return target.tracks[min(self._grid.track_at(x), len(target.tracks) - 1)].staff_id
        return self._booking_staff

    def hovered_track(self) -> int | None:
        """The track under the mouse, None when the columns have no tracks."""
        if self._grid.tracks <= 1 or self._pointer_x is None:
            return None
        return self._grid.track_at(self._pointer_x)

    def header_height(self) -> int:
        """The column header's height: taller when the days have coach tracks."""
        tracks = any(c.tracks for c in self._columns)
        return HEADER_HEIGHT + (TRACK_LABEL_HEIGHT if tracks else 0)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        track = self.hovered_track()
        self._pointer_x = event.position().x()
        super().mouseMoveEvent(event)
        if self._hover is not None and self.hovered_track() != track:
            # Same quarter hour, another coach's track: move the highlight there.
            self.update(qrect(self._grid.slot_rect(*self._hover)).toAlignedRect())

    def y_of_hour(self, hour: float) -> int:
        return round(self._grid.y_of_minute(hour * 60))

    def hour_at(self, y: float) -> float:
        return self._hours.first + (y - self._grid.pad_top) / HOUR_HEIGHT

    def sizeHint(self) -> QSize:
        return QSize(round(7 * MIN_COLUMN_WIDTH), round(self._grid.height))

    # --- layout ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        """Pixel rectangles, colors and elided text of every block, for the current size."""
        self._grid = self._new_grid()
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

    def _new_grid(self) -> Grid:
        tracks = max((len(c.tracks) for c in self._columns), default=0)
        return Grid(
            len(self._columns),
            self._hours,
            float(self.width()),
            HOUR_HEIGHT,
            gutter=0.0,
            tracks=max(tracks, 1),
        )

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
    ) -> PaintedBlock:
        appt = block.appointment
        rect = qrect(self._grid.block_rect(block))
        color = QColor(appt.color)
        if not color.isValid():
            color = QColor("#98a2b3")
        status = appt.status
        hatch: QBrush | None = None
        dashed = False
        check = False
        if status == AppointmentStatus.ATTENDED:
            fill, stripe = color, color.darker(130)
            ink = readable_on(fill)
            # A coach's narrow track: the solid fill says attended, the text needs the room.
            check = rect.width() >= NARROW
        elif status == AppointmentStatus.NO_SHOW:
            fill, stripe, ink = mix(color, WHITE, 0.85), color, INK
            hatch = QBrush(mix(color, WHITE, 0.35), Qt.BrushStyle.BDiagPattern)
        elif status == AppointmentStatus.LATE_CANCELLED:
            grey = QColor("#98a2b3")
            fill, stripe, ink = mix(color, WHITE, 0.9), grey, MUTED
            hatch = QBrush(mix(grey, WHITE, 0.3), Qt.BrushStyle.BDiagPattern)
        elif status == AppointmentStatus.CANCELLED:
            fill, stripe, ink = QColor("#f2f4f7"), QColor("#d0d5dd"), QColor("#98a2b3")
            dashed = True
        else:
            fill, stripe, ink = mix(color, WHITE, 0.78), color, INK
        name = struck if status == AppointmentStatus.CANCELLED else name_font
        painted = PaintedBlock(block, rect, fill, stripe, ink, hatch, dashed, check)
        painted.indent = 6.0 if rect.width() < NARROW else 9.0
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
        note = unpaid_note(appt.unpaid, STATUS_NOTES.get(appt.status))
        begins = format_clock(start)
        times = f"{begins}\N{EN DASH}{format_clock(end)}"
        name_metrics = metrics[id(name_font)]
        detail_metrics = metrics[id(detail_font)]
        room = rect.height() - 4
        narrow = rect.width() < 110
        fits = int(room // detail_metrics.height())
        if rect.width() < NARROW:
            # A coach's track in a busy week: the member's initials say who.
            short = short_label(appt)
            room_for = rect.width() - 9 - (14.0 if extra_right else 0.0)
            if metrics[id(name_font)].horizontalAdvance(short) > room_for:
                short = short[:1]  # "MW" is wide: "M" still says more than nothing
            wanted = [(name_font, short)]
        elif fits >= 3:
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
        width = rect.width() - (6 if rect.width() < NARROW else 9) - 3
        lines: list[tuple[QFont, str, float]] = []
        y = rect.top() + 2
        for index, (font, text) in enumerate(wanted):
            fm = name_metrics if font is name_font else detail_metrics
            if lines and y + fm.height() > rect.bottom():
                break
            room_right = extra_right if index == 0 else 0.0
            elided = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(width - room_right, 0))
            if len(elided.rstrip("\N{HORIZONTAL ELLIPSIS}")) < min(2, len(text)):
                break  # a lone "…" says nothing; the tooltip and panel do
            lines.append((font, elided, y + fm.ascent()))
            y += fm.height()
        return lines
