"""Every button of Settings > Staff, Appointment types and the audit log does something
visible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest

from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog
from desk.ui.settings.audit_log_dialog import AuditLogDialog
from desk.ui.settings.general_settings_dialog import GeneralSettingsDialog
from desk.ui.settings.staff_dialog import StaffDialog
from tests.ui.button_walk import walk_buttons
from tests.ui.driving import click_row, shown

# The offscreen platform says this about every window shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.mark.parametrize(
    ("build", "names"),
    [
        (
            StaffDialog,
            ["staffSignInButton", "saveStaffButton", "deactivateStaffButton", "showInactiveStaff"],
        ),
        (
            AppointmentTypesDialog,
            ["typeColorField", "saveTypeButton", "deactivateTypeButton", "showInactiveTypes"],
        ),
    ],
)
def test_every_record_list_button(qtbot, desk_staff, gym, message_boxes, build, names):
    dialog = shown(qtbot, build(desk_staff))
    click_row(dialog.table)
    QTest.keyClicks(dialog.name_field, " B")  # Save has something to save
    # Unticking Active turns Save off (Deactivate does that), and New empties the form
    # (Save and Deactivate then have nothing to act on): they go last.
    new = dialog.SPEC.new_button_name
    walk = walk_buttons(
        dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes,
        last=[dialog.SPEC.active_name, new],
    )  # fmt: skip
    assert walk.no_effect == []
    assert {*names, new, dialog.SPEC.close_name} <= set(walk.clicked)


def test_every_audit_log_button(qtbot, desk_staff, gym, message_boxes):
    dialog = shown(qtbot, AuditLogDialog(desk_staff))
    desk_staff.runner.wait_idle()
    click_row(dialog.table)  # Details needs an event
    walk = walk_buttons(dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes)
    assert walk.no_effect == []
    assert {
        "auditDetailsButton", "exportAuditButton", "auditSinceFilterCalendar",
        "auditUntilFilterCalendar",
    } <= set(walk.clicked)  # fmt: skip


def test_every_general_settings_button(qtbot, desk_staff, gym, message_boxes, tmp_path):
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    dialog = shown(qtbot, GeneralSettingsDialog(desk_staff, settings))
    QTest.keyClicks(dialog.name, "Northside Gym")  # Save has something to save
    walk = walk_buttons(dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes)
    assert walk.no_effect == []
    assert {"chooseLogoButton"} <= set(walk.clicked)
