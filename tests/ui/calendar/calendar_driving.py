"""Driving the calendar in a test: gym-local times, bookings, mouse events, waiting for reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentView
from desk.ui.calendar.calendar_view import CalendarView
from tests.actors import SYSTEM

NY = ZoneInfo("America/New_York")


WEDNESDAY = date(2026, 3, 4)  # the clock says 10:00 in New York that day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A gym-local wall time, as the UTC moment services take."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=NY).astimezone(UTC)


def book(ctx, gym, day: date, hour: int, minute: int = 0, **kw) -> AppointmentView:
    return ctx.services.booking.book(
        member_id=MemberId(gym[kw.get("member", "ann")]),
        appointment_type_id=AppointmentTypeId(gym[kw.get("type", "pt")]),
        staff_id=StaffId(gym[kw.get("staff", "coach")]),
        starts_at=at(day, hour, minute),
        allow_past=kw.get("allow_past", False),
        actor=SYSTEM,
    ).value


def give_credits(ctx, gym, member: str, kind: str, quantity: int) -> None:
    """``quantity`` credits of ``kind`` that never expire, for ``member`` (gym keys)."""
    ctx.services.credits.add_credits(
        member_id=MemberId(gym[member]),
        appointment_type_id=AppointmentTypeId(gym[kind]),
        quantity=quantity,
        expires_on=None,
        actor=SYSTEM,
    )


def click_block(view: CalendarView, appointment_id: int) -> None:
    """Click an appointment's block with the mouse (scrolled into view first)."""
    rect = view.canvas.block_rect(appointment_id)
    view.widgets.scroll_area.ensureVisible(rect.center().x(), rect.center().y())
    QTest.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=rect.center())
    settle(view)


def open_credits(ctx, member_id: int) -> int:
    return sum(b.open for b in ctx.services.credits.balances(MemberId(member_id)))


def shown_ids(view: CalendarView) -> set[int]:
    return {b.appointment.id for b in view.canvas.blocks}


def send_mouse(widget, kind: QEvent.Type, pos: QPoint, buttons=Qt.MouseButton.LeftButton):
    button = Qt.MouseButton.LeftButton
    local = QPointF(pos)
    event = QMouseEvent(
        kind, local, widget.mapToGlobal(local), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def drag(widget, start: QPoint, end: QPoint) -> None:
    send_mouse(widget, QEvent.Type.MouseButtonPress, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    send_mouse(widget, QEvent.Type.MouseMove, middle)
    send_mouse(widget, QEvent.Type.MouseMove, end)
    send_mouse(widget, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def mouse_drag(widget, start: QPoint, end: QPoint) -> None:
    """A real drag with QTest: press, move with the button held (half way, then there),
    release."""
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(widget, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    QTest.mouseMove(widget, end)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def settle(view: CalendarView) -> None:
    """Wait for the range the calendar fetches on the runner's read worker (and any
    write still running): what every real user sees a frame or two later."""
    view._ctx.runner.wait_idle()


def panel_text(view: CalendarView, name: str) -> str:
    return view.findChild(QLabel, name).text()


def button(view: CalendarView, name: str) -> QPushButton:
    return view.findChild(QPushButton, name)
