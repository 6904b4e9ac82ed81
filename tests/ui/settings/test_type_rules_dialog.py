"""Settings → Appointment types → Booking rules…: buffers, notice and horizon typed in
and saved through the dialog's widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desk.services.core.ids import AppointmentTypeId
from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog
from desk.ui.settings.type_rules_dialog import TypeRulesDialog
from tests.ui import record_lists
from tests.ui.record_lists import child, shown

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


def _type_into(qtbot, spin, text: str) -> None:
    spin.lineEdit().selectAll()
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Delete)
    qtbot.keyClicks(spin.lineEdit(), text)


def test_rules_are_typed_and_saved(qtbot, desk_staff, gym):
    types = shown(qtbot, AppointmentTypesDialog(desk_staff))
    button = child(types, QPushButton, "typeRulesButton")
    record_lists.click_row(qtbot, types, "appointmentTypesTable", "Personal Training", 0)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    rules = types.findChild(TypeRulesDialog)
    assert rules is not None
    assert rules.horizon.text() == "No limit"
    _type_into(qtbot, rules.before, "10")
    _type_into(qtbot, rules.after, "15")
    _type_into(qtbot, rules.notice, "12")
    _type_into(qtbot, rules.horizon, "60")
    qtbot.mouseClick(rules.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    saved = desk_staff.services.appointment_types.booking_rules(AppointmentTypeId(gym["pt"]))
    assert (saved.buffer_before_minutes, saved.buffer_after_minutes) == (10, 15)
    assert (saved.min_notice_minutes, saved.horizon_days) == (12 * 60, 60)
    assert not rules.isVisible()
