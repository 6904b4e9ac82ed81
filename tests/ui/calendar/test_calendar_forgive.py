"""Forgiving a late cancel or no-show from the calendar's side panel: owners and admins."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from desk.services.core.ids import AppointmentId
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
from tests.ui.calendar.test_calendar_undo_status import sign_in


@pytest.fixture
def reasons(monkeypatch) -> list[str]:
    """QInputDialog.getText answers "Her child was ill" with OK; the prompts are kept."""
    asked: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "Her child was ill", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


def test_owner_forgives_a_no_show_from_the_panel_and_it_stays_a_no_show(
    view, gym, ctx, qtbot, reasons, message_boxes
):
    sign_in(ctx, "owner")
    appt = book(ctx, gym, WEDNESDAY, 9, allow_past=True)
    credits = open_credits(ctx, gym["ann"])
    ctx.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    forgive = button(view, "forgiveButton")
    assert forgive.isEnabled()
    qtbot.mouseClick(forgive, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    settle(view)
    assert len(reasons) == 1
    assert "no-show of Ann Smith" in reasons[0]
    assert ctx.services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.NO_SHOW
    assert panel_text(view, "panelStatus") == "No show"
    assert "Forgave the no-show of Ann Smith" in panel_text(view, "calendarStatus")
    assert open_credits(ctx, gym["ann"]) == credits + 1
    # A second forgive is refused by the service and shown.
    qtbot.mouseClick(button(view, "forgiveButton"), Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    settle(view)
    assert any("forgiven already" in text for text in message_boxes)
    assert open_credits(ctx, gym["ann"]) == credits + 1


def test_front_desk_sees_forgive_disabled_and_booked_sessions_have_nothing_to_forgive(
    view, gym, ctx, reasons
):
    booked = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    menu = view.context_menu(booked.id)
    assert not {a.objectName(): a for a in menu.actions()}["forgiveAction"].isEnabled()
    sign_in(ctx, "front_desk")
    appt = book(ctx, gym, WEDNESDAY, 9, allow_past=True)
    ctx.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    view.reload()
    settle(view)
    view.select_appointment(appt.id)
    settle(view)
    assert not button(view, "forgiveButton").isEnabled()
    assert reasons == []
