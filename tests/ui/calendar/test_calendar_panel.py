"""The calendar screen: the panel's actions (check in, no-show, cancel), its menu."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QLabel, QMessageBox, QPushButton

from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.ui.calendar.calendar_canvas import CalendarCanvas
from desk.ui.calendar.calendar_layout import HourRange, day_columns
from desk.ui.calendar.cancel_dialog import CancelDialog
from tests.ui.calendar.calendar_driving import (
    NY,
    WEDNESDAY,
    at,
    book,
    button,
    open_credits,
    panel_text,
    settle,
    shown_ids,
)


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


def answer_question(monkeypatch, reply: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_no_show_is_refused_before_the_start_and_possible_after(view, gym, ctx, clock, monkeypatch):
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.Yes)
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
    assert asked == [
        "Mark Ann Smith as a no-show for 11:00 Personal Training? The credit is forfeited."
    ]
    assert panel_text(view, "panelStatus") == "No show"
    assert "no-show" in panel_text(view, "calendarStatus")


def test_no_show_answered_no_changes_nothing(view, gym, ctx, clock, monkeypatch):
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.No)
    appt = book(ctx, gym, WEDNESDAY, 9, allow_past=True)  # started an hour ago
    credits = open_credits(ctx, gym["ann"])
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    no_show = button(view, "noShowButton")
    assert no_show.isEnabled()
    no_show.click()
    view._ctx.runner.wait_idle()
    assert len(asked) == 1
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.BOOKED
    assert open_credits(ctx, gym["ann"]) == credits
    assert panel_text(view, "panelStatus") == "Booked"


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
        "undoStatusAction",
        "forgiveAction",
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
        "undoStatusAction": True,  # an admin, and it is attended
        "forgiveAction": False,  # attended: nothing to forgive
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
