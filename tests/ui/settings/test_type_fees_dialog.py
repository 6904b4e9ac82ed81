"""Settings → Appointment types → Fees…: a type's late-cancel and no-show fees typed in
and saved through the dialog's widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desk.services.core.ids import AppointmentTypeId
from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog
from desk.ui.settings.type_fees_dialog import TypeFeesDialog
from tests.ui import record_lists
from tests.ui.record_lists import child, shown

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


def _type_into(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _open_fees(qtbot, desk_staff) -> TypeFeesDialog:
    types = shown(qtbot, AppointmentTypesDialog(desk_staff))
    button = child(types, QPushButton, "typeFeesButton")
    record_lists.click_row(qtbot, types, "appointmentTypesTable", "Personal Training", 0)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    fees = types.findChild(TypeFeesDialog)
    assert fees is not None
    return fees


def test_fees_are_typed_and_saved(qtbot, desk_staff, gym):
    fees = _open_fees(qtbot, desk_staff)
    assert fees.late.edit.text() == "0.00"
    _type_into(qtbot, fees.late.edit, "15")
    _type_into(qtbot, fees.no_show.edit, "$20.50")
    qtbot.mouseClick(fees.replaces, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(fees.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    saved = desk_staff.services.appointment_types.fees(AppointmentTypeId(gym["pt"]))
    assert (saved.late_cancel_fee_cents, saved.no_show_fee_cents) == (1_500, 2_050)
    assert saved.replaces_forfeit
    assert not fees.isVisible()


def test_a_fee_that_is_not_an_amount_is_refused_next_to_its_field(qtbot, desk_staff, gym):
    fees = _open_fees(qtbot, desk_staff)
    _type_into(qtbot, fees.no_show.edit, "twenty")
    qtbot.mouseClick(fees.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert fees.isVisible()
    assert fees.errors["no_show_fee_cents"].text()
    saved = desk_staff.services.appointment_types.fees(AppointmentTypeId(gym["pt"]))
    assert saved.no_show_fee_cents == 0
