"""The calendar reloads exactly once per change, and not at all while hidden."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus
from desk.ui.calendar.calendar_view import CalendarView
from tests.actors import SYSTEM
from tests.ui.calendar.test_calendar_view import WEDNESDAY, book


def shown_calendar(qtbot, ctx) -> CalendarView:
    view = CalendarView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    ctx.runner.wait_idle()
    return view


def test_a_check_in_from_the_calendar_reloads_it_once(qtbot, desk_staff, gym):
    appt = book(desk_staff, gym, WEDNESDAY, 11)
    view = shown_calendar(qtbot, desk_staff)
    qtbot.mouseClick(
        view.canvas, Qt.MouseButton.LeftButton, pos=view.canvas.block_rect(appt.id).center()
    )
    check_in = view.findChild(QPushButton, "checkInButton")
    assert check_in.isEnabled()
    before = view.reloads
    qtbot.mouseClick(check_in, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert view.reloads == before + 1
    assert view.selected is not None
    assert view.selected.status == AppointmentStatus.ATTENDED


def test_a_change_while_hidden_reloads_once_when_shown(qtbot, desk_staff, gym):
    first = book(desk_staff, gym, WEDNESDAY, 9, allow_past=True)  # before the clock's 10:00
    second = book(desk_staff, gym, WEDNESDAY, 11)
    view = shown_calendar(qtbot, desk_staff)
    view.hide()
    before = view.reloads
    for appt in (first, second):
        outcome = desk_staff.services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM)
        desk_staff.hub.publish(outcome.changes)
    desk_staff.runner.wait_idle()
    assert view.reloads == before
    view.show()
    desk_staff.runner.wait_idle()
    assert view.reloads == before + 1
    statuses = {b.appointment.id: b.appointment.status for b in view.canvas.blocks}
    assert statuses == {first.id: AppointmentStatus.ATTENDED, second.id: AppointmentStatus.ATTENDED}
