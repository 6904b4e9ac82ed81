"""The calendar screen: blocks where bookings are, clicks that book, the panel's actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QLabel,
    QPushButton,
)

from desk.services.core.errors import Conflict
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.ui.calendar import calendar_actions
from desk.ui.calendar.calendar_canvas import CalendarCanvas
from desk.ui.calendar.calendar_layout import HourRange, day_columns
from desk.ui.calendar.calendar_view import CalendarView
from desk.ui.calendar.cancel_dialog import CancelDialog
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


@pytest.fixture
def view(qtbot, desk_staff) -> CalendarView:
    widget = CalendarView(desk_staff)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    settle(widget)
    return widget


def settle(view: CalendarView) -> None:
    """Wait for the range the calendar fetches on the runner's read worker (and any
    write still running): what every real user sees a frame or two later."""
    view._ctx.runner.wait_idle()


def panel_text(view: CalendarView, name: str) -> str:
    return view.findChild(QLabel, name).text()


def button(view: CalendarView, name: str) -> QPushButton:
    return view.findChild(QPushButton, name)


def test_the_day_view_has_a_column_per_staff_member_and_blocks_at_their_times(view, gym, ctx):
    ann = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    assert view.objectName() == "CalendarView"
    for name in ("dayViewButton", "weekViewButton", "todayButton", "previousButton", "nextButton"):
        assert button(view, name) is not None, name
    assert view.findChild(QDateEdit, "calendarDate").date().toString("yyyy-MM-dd") == "2026-03-04"
    assert view.canvas.objectName() == "calendarCanvas"
    assert view.canvas.accessibleName()
    assert view.mode == "day"
    assert button(view, "dayViewButton").isChecked()
    assert [(c.staff_id, c.title) for c in view.canvas.columns] == [
        (gym["coach"], "Kim Alvarez"),
        (gym["desk"], "Robin Ames"),
    ]
    assert view.visible_range() == (
        datetime(2026, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 3, 5, 5, tzinfo=UTC),
    )
    (block,) = view.canvas.blocks
    assert block.appointment.id == ann.id
    assert block.column == 0
    assert view.canvas.hours == HourRange(6, 22)
    assert block.top == pytest.approx(5 / 16)  # 11:00 on the 06:00-22:00 grid
    rect = view.canvas.block_rect(ann.id)
    assert rect is not None
    assert view.canvas.rect().contains(rect)
    assert view.canvas.columns[0].subtitle == "1 session"
    assert "Today" in view.findChild(QLabel, "calendarTitle").text()
    assert view.findChild(QLabel, "calendarSummary").text() == "1 appointment"


def test_the_week_view_runs_monday_to_sunday_and_navigates(view, gym, ctx):
    thursday = book(ctx, gym, date(2026, 3, 5), 9)
    sunday = book(ctx, gym, date(2026, 3, 8), 10)  # the clocks went forward that night
    monday_after = book(ctx, gym, date(2026, 3, 9), 10)
    button(view, "weekViewButton").click()
    settle(view)
    assert view.mode == "week"
    assert button(view, "weekViewButton").isChecked()
    assert [c.day for c in view.canvas.columns] == [
        date(2026, 3, 2) + timedelta(days=i) for i in range(7)
    ]
    assert view.visible_range() == (
        datetime(2026, 3, 2, 5, tzinfo=UTC),
        datetime(2026, 3, 9, 4, tzinfo=UTC),
    )
    blocks = {b.appointment.id: b for b in view.canvas.blocks}
    assert set(blocks) == {thursday.id, sunday.id}  # Monday the 9th is next week
    assert blocks[thursday.id].column == 3
    assert blocks[sunday.id].column == 6
    assert "2 \N{EN DASH} 8 Mar 2026" in view.findChild(QLabel, "calendarTitle").text()
    assert view.widgets.header.zone_label == "EST/EDT"  # the clocks change on Sunday

    button(view, "nextButton").click()
    settle(view)
    assert view.canvas.columns[0].day == date(2026, 3, 9)
    (block,) = view.canvas.blocks
    assert block.appointment.id == monday_after.id
    assert block.top == pytest.approx(blocks[sunday.id].top)  # 10:00 is 10:00, DST or not
    button(view, "previousButton").click()
    settle(view)
    button(view, "previousButton").click()
    settle(view)
    assert view.canvas.columns[0].day == date(2026, 2, 23)
    button(view, "todayButton").click()
    settle(view)
    assert view.canvas.columns[0].day == date(2026, 3, 2)
    button(view, "dayViewButton").click()
    settle(view)
    assert view.mode == "day"
    assert view.day == WEDNESDAY
    button(view, "nextButton").click()
    settle(view)
    assert view.day == date(2026, 3, 5)
    assert shown_ids(view) == {thursday.id}
    view.findChild(QDateEdit, "calendarDate").setDate(date(2026, 3, 8))
    settle(view)
    assert view.day == date(2026, 3, 8)
    assert shown_ids(view) == {sunday.id}


def test_clicking_an_empty_slot_asks_to_book_it_for_that_staff_member(view, gym, qtbot):
    robin = view.canvas.columns.index(
        next(c for c in view.canvas.columns if c.staff_id == gym["desk"])
    )
    point = view.canvas.slot_point(robin, datetime(2026, 3, 4, 14, 15, tzinfo=NY))
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point + QPoint(0, 3))
    staff_id, starts_at = signal.args
    assert staff_id == gym["desk"]
    assert starts_at == datetime(2026, 3, 4, 19, 15, tzinfo=UTC)
    assert starts_at.tzinfo is not None


def test_dragging_across_empty_slots_books_from_where_the_drag_started(view, gym, qtbot):
    start = view.canvas.slot_point(0, datetime(2026, 3, 4, 16, 0, tzinfo=NY))
    with qtbot.waitSignal(view.booking_requested) as signal:
        drag(view.canvas, start, start + QPoint(0, 60))
    assert signal.args == [gym["coach"], datetime(2026, 3, 4, 21, 0, tzinfo=UTC)]


def test_in_the_week_view_a_click_books_with_the_filtered_staff_member(view, gym, qtbot):
    view.show_week(WEDNESDAY)
    settle(view)
    friday = datetime(2026, 3, 6, 9, 30, tzinfo=NY)
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(
            view.canvas, Qt.MouseButton.LeftButton, pos=view.canvas.slot_point(4, friday)
        )
    assert signal.args == [None, friday.astimezone(UTC)]  # any staff: the dialog asks
    staff = view.findChild(QComboBox, "staffFilter")
    staff.setCurrentIndex(staff.findText("Kim Alvarez"))
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(
            view.canvas, Qt.MouseButton.LeftButton, pos=view.canvas.slot_point(4, friday)
        )
    assert signal.args == [gym["coach"], friday.astimezone(UTC)]


def test_check_in_from_the_panel(view, gym, ctx, qtbot):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    assert view.findChild(QLabel, "panelHint").isVisibleTo(view)
    assert not button(view, "checkInButton").isEnabled()
    qtbot.mouseClick(
        view.canvas, Qt.MouseButton.LeftButton, pos=view.canvas.block_rect(appt.id).center()
    )
    assert view.selected is not None
    assert view.selected.id == appt.id
    assert panel_text(view, "panelMember") == "Ann Smith"
    assert "Personal Training" in panel_text(view, "panelType")
    assert panel_text(view, "panelStaff") == "with Kim Alvarez"
    assert "11:00\N{EN DASH}12:00" in panel_text(view, "panelTime")
    assert panel_text(view, "panelStatus") == "Booked"
    assert button(view, "checkInButton").isEnabled()
    assert button(view, "cancelAppointmentButton").isEnabled()
    assert button(view, "openProfileButton").isEnabled()
    with qtbot.waitSignal(ctx.hub.changed) as changed:
        qtbot.mouseClick(button(view, "checkInButton"), Qt.MouseButton.LeftButton)
    settle(view)
    assert appt.id in changed.args[0].appointments
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.ATTENDED
    assert panel_text(view, "panelStatus") == "Attended"
    assert view.canvas.blocks[0].appointment.status == AppointmentStatus.ATTENDED
    assert not button(view, "checkInButton").isEnabled()
    assert not button(view, "cancelAppointmentButton").isEnabled()
    assert "Checked in Ann Smith" in panel_text(view, "calendarStatus")


def test_no_show_is_refused_before_the_start_and_possible_after(view, gym, ctx, clock):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    assert not button(view, "noShowButton").isEnabled()
    view.no_show_selected()
    view._ctx.runner.wait_idle()
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.BOOKED
    clock.current = at(WEDNESDAY, 11, 10)
    view.select_appointment(appt.id)
    settle(view)
    assert button(view, "noShowButton").isEnabled()
    button(view, "noShowButton").click()
    view._ctx.runner.wait_idle()
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.NO_SHOW
    assert panel_text(view, "panelStatus") == "No show"
    assert "no-show" in panel_text(view, "calendarStatus")


def test_cancel_outside_the_window_returns_the_credit(view, gym, ctx, monkeypatch):
    appt = book(ctx, gym, date(2026, 3, 6), 10)  # two days ahead: outside 24 h
    view.show_day(date(2026, 3, 6))
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    assert open_credits(ctx, gym["ann"]) == 9
    asked: list[AppointmentView] = []

    def ask(_ctx, _parent, appointment):
        asked.append(appointment)
        return (False, "")

    monkeypatch.setattr(CancelDialog, "ask", staticmethod(ask))
    button(view, "cancelAppointmentButton").click()
    view._ctx.runner.wait_idle()
    assert [a.id for a in asked] == [appt.id]
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.CANCELLED
    assert open_credits(ctx, gym["ann"]) == 10
    assert "credit returned to the member" in panel_text(view, "calendarStatus")
    assert appt.id not in shown_ids(view)  # cancelled blocks are hidden by default


def test_keeping_the_appointment_changes_nothing(view, gym, ctx, monkeypatch):
    appt = book(ctx, gym, WEDNESDAY, 14)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    monkeypatch.setattr(CancelDialog, "ask", staticmethod(lambda *_: None))
    view.cancel_selected()
    view._ctx.runner.wait_idle()
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.BOOKED
    assert panel_text(view, "calendarStatus") == ""


def test_cancel_inside_the_window_forfeits_the_credit(view, gym, ctx, monkeypatch):
    appt = book(ctx, gym, WEDNESDAY, 14)  # four hours ahead: inside 24 h
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    monkeypatch.setattr(CancelDialog, "ask", staticmethod(lambda *_: (False, "")))
    view.cancel_selected()
    view._ctx.runner.wait_idle()
    after = ctx.services.booking.get(AppointmentId(appt.id))
    assert after.status == AppointmentStatus.LATE_CANCELLED
    assert open_credits(ctx, gym["ann"]) == 9
    assert "forfeited" in panel_text(view, "calendarStatus")
    # A late cancel stays on the calendar, marked, so staff see what happened.
    assert appt.id in shown_ids(view)
    assert panel_text(view, "panelStatus") == "Late cancelled"


def test_the_late_cancel_dialog_warns_and_returns_the_credit_only_with_a_reason(
    view, gym, ctx, monkeypatch, qtbot
):
    appt = book(ctx, gym, WEDNESDAY, 14)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    seen: dict[str, object] = {}

    def exec_(dialog: CancelDialog) -> int:
        assert dialog.objectName() == "CancelDialog"
        seen["message"] = dialog.findChild(QLabel, "cancelMessage").text()
        field = dialog.findChild(QCheckBox, "returnCreditField")
        reason = dialog.findChild(type(dialog.reason), "cancelReasonField")
        confirm = dialog.findChild(QPushButton, "confirmCancelButton")
        assert field.isVisibleTo(dialog)
        assert confirm.isEnabled()  # forfeiting needs no reason
        field.setChecked(True)
        seen["blocked"] = not confirm.isEnabled()
        seen["error"] = dialog.findChild(QLabel, "cancelReasonError").text()
        qtbot.keyClicks(reason, "Coach was ill")
        seen["allowed"] = confirm.isEnabled()
        confirm.click()
        return dialog.result()

    monkeypatch.setattr(CancelDialog, "exec", exec_)
    view.cancel_selected()
    view._ctx.runner.wait_idle()
    assert "forfeited" in str(seen["message"])
    assert "24-hour" in str(seen["message"])
    assert seen["blocked"]
    assert "why" in str(seen["error"]).lower()
    assert seen["allowed"]
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.CANCELLED
    assert open_credits(ctx, gym["ann"]) == 10
    status = panel_text(view, "calendarStatus")
    assert "credit returned to the member anyway" in status
    assert "Coach was ill" in status


def test_outside_the_window_the_dialog_is_a_plain_confirmation(ctx, gym, qtbot, monkeypatch):
    appt = book(ctx, gym, date(2026, 3, 6), 10)
    seen: dict[str, object] = {}

    def exec_(dialog: CancelDialog) -> int:
        seen["late"] = dialog.late
        seen["box"] = dialog.findChild(QCheckBox, "returnCreditField").isVisibleTo(dialog)
        seen["message"] = dialog.findChild(QLabel, "cancelMessage").text()
        dialog.reject()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(CancelDialog, "exec", exec_)
    assert CancelDialog.ask(ctx, None, appt) is None
    assert seen == {"late": False, "box": False, "message": "The credit goes back to the member."}


def test_moving_to_a_free_slot_keeps_the_credit_that_paid(view, gym, ctx, qtbot):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    top_before = view.canvas.blocks[0].top
    with qtbot.waitSignal(ctx.hub.changed):
        view.move_appointment(appt.id, at(WEDNESDAY, 15, 30), None)
    settle(view)
    moved = ctx.services.booking.get(AppointmentId(appt.id))
    assert moved.starts_at == at(WEDNESDAY, 15, 30)
    assert moved.ends_at == at(WEDNESDAY, 16, 30)
    assert moved.lot_id == appt.lot_id
    assert open_credits(ctx, gym["ann"]) == 9
    (block,) = view.canvas.blocks
    assert block.top > top_before
    assert "Moved Ann Smith" in panel_text(view, "calendarStatus")
    # To another staff member: the block changes column.
    view.move_appointment(appt.id, at(WEDNESDAY, 15, 30), gym["desk"])
    view._ctx.runner.wait_idle()
    assert ctx.services.booking.get(AppointmentId(appt.id)).staff_id == gym["desk"]
    assert view.canvas.columns[view.canvas.blocks[0].column].staff_id == gym["desk"]


def test_dragging_a_block_reschedules_it(view, gym, ctx, qtbot):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    grab = view.canvas.block_rect(appt.id).center()
    robin = next(i for i, c in enumerate(view.canvas.columns) if c.staff_id == gym["desk"])
    robin_x = round(view.canvas.grid.column_left(robin) + 20)
    # Two hours down (96 px) and over to Robin's column.
    with qtbot.waitSignal(view.canvas.move_requested) as signal:
        drag(view.canvas, grab, QPoint(robin_x, grab.y() + 96))
        view._ctx.runner.wait_idle()
    assert signal.args == [appt.id, at(WEDNESDAY, 13), gym["desk"]]
    moved = ctx.services.booking.get(AppointmentId(appt.id))
    assert (moved.starts_at, moved.staff_id, moved.lot_id) == (
        at(WEDNESDAY, 13),
        gym["desk"],
        appt.lot_id,
    )


def test_dropping_onto_a_conflict_is_refused_with_a_message(view, gym, ctx, monkeypatch):
    first = book(ctx, gym, WEDNESDAY, 11)
    second = book(ctx, gym, WEDNESDAY, 13)
    view.reload()
    settle(view)
    rect_before = view.canvas.block_rect(second.id)
    shown = []
    monkeypatch.setattr(calendar_actions, "show_error", lambda parent, exc: shown.append(exc))
    view.move_appointment(second.id, at(WEDNESDAY, 11, 30), None)
    view._ctx.runner.wait_idle()
    (error,) = shown
    assert isinstance(error, Conflict)
    assert "Kim Alvarez already has Ann Smith" in error.message
    assert "11:00\N{EN DASH}12:00" in error.message  # local time, not the service's UTC
    after = ctx.services.booking.get(AppointmentId(second.id))
    assert after.starts_at == second.starts_at
    assert ctx.services.booking.get(AppointmentId(first.id)).starts_at == first.starts_at
    assert view.canvas.block_rect(second.id) == rect_before


def test_dragging_onto_a_conflict_leaves_the_block_where_it_was(view, gym, ctx, monkeypatch):
    book(ctx, gym, WEDNESDAY, 11)
    second = book(ctx, gym, WEDNESDAY, 13)
    view.reload()
    settle(view)
    rect_before = view.canvas.block_rect(second.id)
    shown = []
    monkeypatch.setattr(calendar_actions, "show_error", lambda parent, exc: shown.append(exc))
    grab = rect_before.center()
    drag(view.canvas, grab, grab - QPoint(0, 72))  # 1.5 h earlier: onto the 11:00
    ctx.runner.wait_idle()
    assert len(shown) == 1
    assert ctx.services.booking.get(AppointmentId(second.id)).starts_at == second.starts_at
    assert view.canvas.block_rect(second.id) == rect_before


def test_week_filters_hide_blocks_by_staff_and_type(view, gym, ctx):
    ctx.services.credits.add_credits(
        member_id=MemberId(gym["bob"]),
        appointment_type_id=AppointmentTypeId(gym["massage"]),
        quantity=2,
        expires_on=None,
        actor=SYSTEM,
    )
    ann = book(ctx, gym, date(2026, 3, 5), 9)
    bob = book(ctx, gym, date(2026, 3, 5), 9, member="bob", type="massage", staff="desk")
    staff = view.findChild(QComboBox, "staffFilter")
    kinds = view.findChild(QComboBox, "typeFilter")
    assert not staff.isVisibleTo(view)  # day view: one column per staff member already
    view.show_week(WEDNESDAY)
    settle(view)
    assert staff.isVisibleTo(view)
    assert kinds.isVisibleTo(view)
    assert staff.itemText(0) == "All staff"
    assert shown_ids(view) == {ann.id, bob.id}
    lanes = sorted((b.lane, b.lanes) for b in view.canvas.blocks)
    assert lanes == [(0, 2), (1, 2)]  # same time: side by side
    staff.setCurrentIndex(staff.findText("Kim Alvarez"))
    assert shown_ids(view) == {ann.id}
    assert view.canvas.blocks[0].lanes == 1
    kinds.setCurrentIndex(kinds.findText("Sports Massage"))
    assert shown_ids(view) == set()
    staff.setCurrentIndex(0)
    assert shown_ids(view) == {bob.id}
    kinds.setCurrentIndex(0)
    assert shown_ids(view) == {ann.id, bob.id}


def test_show_cancelled_toggles_cancelled_blocks(view, gym, ctx):
    kept = book(ctx, gym, date(2026, 3, 6), 9)
    gone = book(ctx, gym, date(2026, 3, 6), 11)
    ctx.services.booking.cancel(AppointmentId(gone.id), actor=SYSTEM)
    view.show_day(date(2026, 3, 6))
    settle(view)
    toggle = view.findChild(QCheckBox, "showCancelled")
    assert not toggle.isChecked()
    assert shown_ids(view) == {kept.id}
    assert "1 cancelled hidden" in view.findChild(QLabel, "calendarSummary").text()
    toggle.setChecked(True)
    assert shown_ids(view) == {kept.id, gone.id}
    toggle.setChecked(False)
    assert shown_ids(view) == {kept.id}


def test_changes_made_elsewhere_reload_the_visible_range(view, gym, ctx):
    outcome = ctx.services.booking.book(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=AppointmentTypeId(gym["pt"]),
        staff_id=StaffId(gym["coach"]),
        starts_at=at(WEDNESDAY, 17),
        actor=SYSTEM,
    )
    assert shown_ids(view) == set()
    ctx.hub.publish(outcome.changes)
    settle(view)
    assert shown_ids(view) == {outcome.value.id}
    new_staff = ctx.services.staff.create(name="Alex Brook", actor=SYSTEM)
    ctx.hub.publish(new_staff.changes)
    settle(view)
    assert "Alex Brook" in [c.title for c in view.canvas.columns]
    staff = view.findChild(QComboBox, "staffFilter")
    assert staff.findText("Alex Brook") >= 0


def test_someone_taken_off_the_calendar_keeps_their_sessions_visible(view, gym, ctx):
    appt = book(ctx, gym, WEDNESDAY, 15, staff="desk")
    ctx.hub.publish(ctx.services.staff.deactivate(StaffId(gym["desk"]), actor=SYSTEM).changes)
    settle(view)
    assert [c.title for c in view.canvas.columns] == ["Kim Alvarez", "Robin Ames"]
    assert shown_ids(view) == {appt.id}


def test_the_context_menu_offers_the_panel_actions(view, gym, ctx):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    menu = view.context_menu(appt.id)
    actions = {a.objectName(): a for a in menu.actions()}
    assert list(actions) == [
        "checkInAction",
        "noShowAction",
        "cancelAppointmentAction",
        "openProfileAction",
    ]
    assert actions["checkInAction"].isEnabled()
    assert not actions["noShowAction"].isEnabled()
    assert actions["cancelAppointmentAction"].isEnabled()
    actions["checkInAction"].trigger()
    view._ctx.runner.wait_idle()
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.ATTENDED
    menu = view.context_menu(appt.id)
    enabled = {a.objectName(): a.isEnabled() for a in menu.actions()}
    assert enabled == {
        "checkInAction": False,
        "noShowAction": False,
        "cancelAppointmentAction": False,
        "openProfileAction": True,
    }


def test_right_click_on_a_block_asks_for_its_menu(qtbot, gym, ctx):
    appt = book(ctx, gym, WEDNESDAY, 11)
    canvas = CalendarCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 900)
    canvas.set_data(
        day_columns(WEDNESDAY, [(gym["coach"], "Kim Alvarez")]),
        [appt],
        hours=HourRange(),
        tz=NY,
        now=ctx.services.clock.now(),
    )
    pos = canvas.block_rect(appt.id).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, canvas.mapToGlobal(pos))
    with qtbot.waitSignal(canvas.context_menu_requested) as signal:
        QApplication.sendEvent(canvas, event)
    assert signal.args[0] == appt.id


def test_open_profile_asks_the_main_window(view, gym, ctx, qtbot):
    appt = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    with qtbot.waitSignal(view.profile_requested) as signal:
        button(view, "openProfileButton").click()
    assert signal.args == [gym["ann"]]


def test_selecting_an_appointment_off_screen_goes_to_its_day(view, gym, ctx):
    appt = book(ctx, gym, date(2026, 3, 10), 8)
    view.select_appointment(appt.id)
    settle(view)
    assert view.day == date(2026, 3, 10)
    assert view.selected is not None
    assert view.selected.id == appt.id
    assert panel_text(view, "panelMember") == "Ann Smith"


def test_the_grid_starts_scrolled_to_the_morning(qtbot, desk_staff):
    widget = CalendarView(desk_staff)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)  # too short for the whole day
    widget.show()
    qtbot.waitExposed(widget)
    top = widget.widgets.scroll_area.verticalScrollBar().value()
    assert widget.canvas.hour_at(top + widget.canvas.grid.pad_top) == pytest.approx(7, abs=0.1)


def test_arrow_keys_step_through_the_appointments(view, gym, ctx, qtbot):
    late = book(ctx, gym, WEDNESDAY, 18)
    early = book(ctx, gym, WEDNESDAY, 9, allow_past=True)  # before the clock's 10:00
    middle = book(ctx, gym, WEDNESDAY, 12, staff="desk")
    view.reload()
    settle(view)
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Down)
    assert view.selected.id == early.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.selected.id == middle.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Down)
    assert view.selected.id == late.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Down)  # stays on the last one
    assert view.selected.id == late.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Up)
    assert view.selected.id == middle.id
    assert panel_text(view, "panelStaff") == "with Robin Ames"
