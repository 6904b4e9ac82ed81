"""Undoing a check-in, no-show or late cancel from the calendar: owners and admins only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from desk.services.core.ids import AppointmentId, StaffId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import (
    WEDNESDAY,
    book,
    button,
    open_credits,
    panel_text,
    settle,
)


@pytest.fixture
def reasons(monkeypatch) -> list[str]:
    """QInputDialog.getText answers "Arrived late, trained" with OK; the prompts are kept."""
    asked: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "Arrived late, trained", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


def sign_in(ctx, role: str) -> None:
    staff = ctx.services.staff.create(name=f"A {role}", role=role, actor=SYSTEM).value
    ctx.staff_id = StaffId(staff.id)


def test_owner_undoes_a_no_show_from_the_panel(view, gym, ctx, qtbot, reasons):
    sign_in(ctx, "owner")
    appt = book(ctx, gym, WEDNESDAY, 9, allow_past=True)
    credits = open_credits(ctx, gym["ann"])
    ctx.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    assert panel_text(view, "panelStatus") == "No show"
    undo = button(view, "undoStatusButton")
    assert undo.isEnabled()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    settle(view)
    assert len(reasons) == 1
    assert "no-show of Ann Smith" in reasons[0]
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.BOOKED
    assert panel_text(view, "panelStatus") == "Booked"
    assert "Undid the no-show of Ann Smith" in panel_text(view, "calendarStatus")
    assert open_credits(ctx, gym["ann"]) == credits
    assert not button(view, "undoStatusButton").isEnabled()


def test_front_desk_sees_the_undo_disabled(view, gym, ctx, reasons):
    sign_in(ctx, "front_desk")
    appt = book(ctx, gym, WEDNESDAY, 9, allow_past=True)
    ctx.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    assert not button(view, "undoStatusButton").isEnabled()
    menu = view.context_menu(appt.id)
    actions = {a.objectName(): a for a in menu.actions()}
    assert not actions["undoStatusAction"].isEnabled()
    view.undo_status_selected()
    ctx.runner.wait_idle()
    assert reasons == []
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.NO_SHOW


def test_undo_offered_only_for_attended_no_show_and_late_cancelled(view, gym, ctx):
    booked = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    menu = view.context_menu(booked.id)
    assert not {a.objectName(): a for a in menu.actions()}["undoStatusAction"].isEnabled()
    ctx.services.booking.check_in(AppointmentId(booked.id), actor=SYSTEM)
    view.reload()
    settle(view)
    menu = view.context_menu(booked.id)
    assert {a.objectName(): a for a in menu.actions()}["undoStatusAction"].isEnabled()


def test_a_refused_undo_is_shown(view, gym, ctx, reasons, message_boxes):
    appt = book(ctx, gym, WEDNESDAY, 11)
    ctx.services.booking.cancel(
        AppointmentId(appt.id), return_credit=False, reason="", actor=SYSTEM
    )
    book(ctx, gym, WEDNESDAY, 11)  # the slot is booked again
    view.reload()
    settle(view)
    menu = view.context_menu(appt.id)
    action = {a.objectName(): a for a in menu.actions()}["undoStatusAction"]
    assert action.isEnabled()
    action.trigger()
    ctx.runner.wait_idle()
    settle(view)
    assert any("time was booked again" in text for text in message_boxes)
    status = ctx.services.booking.get(AppointmentId(appt.id)).status
    assert status == AppointmentStatus.LATE_CANCELLED
