"""Tab visits every field of the settings dialogs, in reading order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog
from desk.ui.settings.audit_log_dialog import AuditLogDialog
from desk.ui.settings.general_settings_dialog import GeneralSettingsDialog
from desk.ui.settings.staff_dialog import StaffDialog
from desk.ui.settings.staff_login_dialog import StaffLoginDialog
from tests.ui.driving import click_row, shown
from tests.ui.tab_order import tab_through

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.mark.parametrize("build", [StaffDialog, AppointmentTypesDialog])
def test_record_lists(qtbot, desk_staff, gym, build):
    dialog = shown(qtbot, build(desk_staff))
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert expected[:2] == [dialog.SPEC.table_name, dialog.SPEC.show_inactive_name]
    assert dialog.SPEC.name_field_name in expected


@pytest.mark.parametrize("details", [False, True])
def test_audit_log(qtbot, desk_staff, gym, details):
    dialog = shown(qtbot, AuditLogDialog(desk_staff))
    desk_staff.runner.wait_idle()
    if details:
        click_row(dialog.table)
        QTest.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
        assert dialog.details.isVisible()
    expected, visited = tab_through(dialog)
    assert ("auditDetails" in expected) == details
    assert visited == expected
    assert expected[:5] == [
        "auditMemberFilter", "auditStaffFilter", "auditKindFilter", "auditSinceFilterText",
        "auditUntilFilterText",
    ]  # fmt: skip


def test_staff_sign_in(qtbot, desk_staff, gym):
    coach = desk_staff.services.staff.get(gym["coach"])
    dialog = shown(qtbot, StaffLoginDialog(desk_staff, coach))
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert len(expected) >= 3


def test_general_settings(qtbot, desk_staff, gym, tmp_path):
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    dialog = shown(qtbot, GeneralSettingsDialog(desk_staff, settings))
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert expected[0] == "gymNameField"
