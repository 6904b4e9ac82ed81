"""Settings → Staff: the list, the form, and what reaches the services."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QTableView

from desk.services.core.ids import StaffId
from desk.services.core.read_models import StaffRole
from desk.ui.settings.staff_dialog import StaffDialog
from desk.ui.settings.staff_table_model import StaffProxyModel, StaffTableModel
from desk.ui.widgets.field_error import FieldError
from tests.actors import SYSTEM
from tests.ui import record_lists
from tests.ui.record_lists import child, shown

# The offscreen platform says this about every window shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def dialog(qtbot, desk_staff) -> StaffDialog:
    return shown(qtbot, StaffDialog(desk_staff))


def name_field(dlg) -> QLineEdit:
    return child(dlg, QLineEdit, "staffNameField")


def role_field(dlg) -> QComboBox:
    return child(dlg, QComboBox, "staffRoleField")


def save_button(dlg) -> QPushButton:
    return child(dlg, QPushButton, "saveStaffButton")


def shown_rows(dlg) -> list[tuple[str, str, str]]:
    """Name, role, active (the Sign-in column has tests of its own: test_staff_sign_in)."""
    model = child(dlg, QTableView, "staffTable").model()
    assert model.columnCount() == 5
    return [
        tuple(model.index(row, column).data() for column in range(3))
        for row in range(model.rowCount())
    ]


def click_row(qtbot, dlg, name: str) -> None:
    record_lists.click_row(qtbot, dlg, "staffTable", name, StaffTableModel.COL_NAME)


def choose_role(dlg, text: str) -> None:
    combo = role_field(dlg)
    index = combo.findText(text)
    assert index >= 0, f"no role {text!r} among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


# --- the table model ---------------------------------------------------------------------


def test_table_model_passes_qtmodeltester(qapp, qtmodeltester, services, gym):
    services.staff.deactivate(StaffId(gym["coach"]), actor=SYSTEM)
    model = StaffTableModel()
    model.set_rows(services.staff.list(include_inactive=True))
    qtmodeltester.check(model)
    proxy = StaffProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_show_inactive(True)
    model.set_rows(services.staff.list())
    assert model.rowCount() == 1


def test_table_model_shows_roles_as_words_and_greys_inactive_staff(qapp, services, gym):
    services.staff.deactivate(StaffId(gym["coach"]), actor=SYSTEM)
    services.staff.create(name="Frankie Desk", role="front_desk", actor=SYSTEM)
    model = StaffTableModel()
    model.set_rows(services.staff.list(include_inactive=True))
    rows = {
        model.index(row, 0).data(): (
            model.index(row, StaffTableModel.COL_ROLE).data(),
            model.index(row, StaffTableModel.COL_ACTIVE).data(),
            model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None,
        )
        for row in range(model.rowCount())
    }
    assert rows == {
        "Kim Alvarez": ("Coach", "No", True),
        "Robin Ames": ("Admin", "Yes", False),
        "Frankie Desk": ("Front desk", "Yes", False),
    }
    row = model.row_of(gym["desk"])
    assert model.index(row, 0).data(StaffTableModel.RowRole).role is StaffRole.ADMIN


# --- the dialog --------------------------------------------------------------------------


def test_opens_on_the_first_person_with_every_widget_named(dialog):
    assert dialog.objectName() == "StaffDialog"
    assert shown_rows(dialog) == [
        ("Kim Alvarez", "Coach", "Yes"),
        ("Robin Ames", "Admin", "Yes"),
    ]
    assert name_field(dialog).text() == "Kim Alvarez"
    assert role_field(dialog).currentText() == "Coach"
    assert [role_field(dialog).itemText(i) for i in range(role_field(dialog).count())] == [
        "Owner",
        "Admin",
        "Front desk",
        "Coach",
    ]
    assert child(dialog, QCheckBox, "staffActiveField").isChecked()
    child(dialog, QCheckBox, "showInactiveStaff")
    child(dialog, QPushButton, "newStaffButton")
    child(dialog, QPushButton, "deactivateStaffButton")
    assert not save_button(dialog).isEnabled()


def test_create_a_staff_member(dialog, qtbot, services):
    qtbot.mouseClick(child(dialog, QPushButton, "newStaffButton"), Qt.MouseButton.LeftButton)
    assert name_field(dialog).text() == ""
    assert dialog.focusWidget() is name_field(dialog)
    assert not save_button(dialog).isEnabled()
    qtbot.keyClicks(name_field(dialog), "  Priya Nair ")
    choose_role(dialog, "Front desk")

    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000) as blocker:
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    assert blocker.args[0].catalog is True
    created = [s for s in services.staff.list() if s.name == "Priya Nair"]
    assert len(created) == 1
    assert created[0].role is StaffRole.FRONT_DESK
    assert created[0].active
    assert ("Priya Nair", "Front desk", "Yes") in shown_rows(dialog)
    assert dialog.created_staff_ids == [created[0].id]
    assert dialog.editing_staff_id == created[0].id
    assert services.audit.events(action="staff.create")[0].actor == "Robin Ames"


def test_change_a_role(dialog, qtbot, services, gym):
    click_row(qtbot, dialog, "Kim Alvarez")
    choose_role(dialog, "Owner")
    assert save_button(dialog).isEnabled()

    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000) as blocker:
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    assert blocker.args[0].catalog is True
    kim = services.staff.get(StaffId(gym["coach"]))
    assert (kim.name, kim.role, kim.active) == ("Kim Alvarez", StaffRole.OWNER, True)
    assert ("Kim Alvarez", "Owner", "Yes") in shown_rows(dialog)
    assert not save_button(dialog).isEnabled()
    assert dialog.created_staff_ids == []


def test_save_is_disabled_while_the_name_is_empty(dialog, qtbot, services):
    before = services.staff.list(include_inactive=True)
    name_error = dialog.findChild(FieldError, "staffNameError")
    click_row(qtbot, dialog, "Robin Ames")
    name_field(dialog).selectAll()
    qtbot.keyClick(name_field(dialog), Qt.Key.Key_Delete)
    assert not save_button(dialog).isEnabled()
    assert name_error.isVisible()
    assert name_error.text() == "A staff member needs a name."
    with qtbot.assertNotEmitted(dialog._ctx.hub.changed):
        qtbot.keyClick(name_field(dialog), Qt.Key.Key_Return)
        dialog.save()
    assert services.staff.list(include_inactive=True) == before

    qtbot.keyClicks(name_field(dialog), "Robin Ames-Lee")
    assert save_button(dialog).isEnabled()
    assert not name_error.isVisible()


def test_deactivate_hides_the_person_unless_show_inactive(dialog, qtbot, services, gym):
    click_row(qtbot, dialog, "Kim Alvarez")
    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000) as blocker:
        qtbot.mouseClick(
            child(dialog, QPushButton, "deactivateStaffButton"), Qt.MouseButton.LeftButton
        )

    assert blocker.args[0].catalog is True
    assert not services.staff.get(StaffId(gym["coach"])).active
    assert [s.name for s in services.staff.list()] == ["Robin Ames"]
    assert shown_rows(dialog) == [("Robin Ames", "Admin", "Yes")]

    child(dialog, QCheckBox, "showInactiveStaff").click()
    assert shown_rows(dialog) == [
        ("Kim Alvarez", "Coach", "No"),
        ("Robin Ames", "Admin", "Yes"),
    ]
    click_row(qtbot, dialog, "Kim Alvarez")
    assert not child(dialog, QCheckBox, "staffActiveField").isChecked()
    assert not child(dialog, QPushButton, "deactivateStaffButton").isEnabled()

    child(dialog, QCheckBox, "showInactiveStaff").click()
    assert shown_rows(dialog) == [("Robin Ames", "Admin", "Yes")]
    assert dialog.editing_staff_id is None


def test_changes_made_elsewhere_show_up(dialog, services):
    outcome = services.staff.create(name="Sam Okoye", role="coach", actor=SYSTEM)
    dialog._ctx.hub.publish(outcome.changes)
    assert ("Sam Okoye", "Coach", "Yes") in shown_rows(dialog)


def test_escape_closes_the_dialog(dialog, qtbot):
    qtbot.keyClick(name_field(dialog), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_ask_runs_the_dialog_modally(qtbot, desk_staff, monkeypatch):
    seen: list[str] = []

    def fake_exec(self: StaffDialog) -> int:
        seen.append(self.findChild(QLineEdit, "staffNameField").text())
        return 0

    monkeypatch.setattr(StaffDialog, "exec", fake_exec)
    StaffDialog.ask(desk_staff, None)
    assert seen == ["Kim Alvarez"]


# --- takes bookings ------------------------------------------------------------------------


def bookings_field(dlg) -> QCheckBox:
    return child(dlg, QCheckBox, "staffBookingsField")


def bookings_column(dlg) -> dict[str, str]:
    model = child(dlg, QTableView, "staffTable").model()
    assert model.headerData(StaffTableModel.COL_BOOKINGS, Qt.Orientation.Horizontal) == (
        "Takes bookings"
    )
    return {
        model.index(row, StaffTableModel.COL_NAME).data(): model.index(
            row, StaffTableModel.COL_BOOKINGS
        ).data()
        for row in range(model.rowCount())
    }


def test_unticking_takes_bookings_saves_it_and_the_column_says_so(dialog, qtbot, services, gym):
    assert bookings_column(dialog) == {"Kim Alvarez": "Yes", "Robin Ames": "Yes"}
    click_row(qtbot, dialog, "Kim Alvarez")
    assert bookings_field(dialog).isChecked()
    assert not save_button(dialog).isEnabled()
    qtbot.mouseClick(bookings_field(dialog), Qt.MouseButton.LeftButton)
    assert not bookings_field(dialog).isChecked()
    assert save_button(dialog).isEnabled()

    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000) as blocker:
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    assert blocker.args[0].catalog is True
    kim = services.staff.get(StaffId(gym["coach"]))
    assert (kim.name, kim.role, kim.active, kim.takes_bookings) == (
        "Kim Alvarez", StaffRole.COACH, True, False,
    )  # fmt: skip
    assert bookings_column(dialog) == {"Kim Alvarez": "No", "Robin Ames": "Yes"}
    assert not save_button(dialog).isEnabled()
    # Ticking it again is a change to save; picking the row again shows what was saved.
    click_row(qtbot, dialog, "Robin Ames")
    click_row(qtbot, dialog, "Kim Alvarez")
    assert not bookings_field(dialog).isChecked()
    bookings_field(dialog).setFocus()
    qtbot.keyClick(bookings_field(dialog), Qt.Key.Key_Space)
    assert save_button(dialog).isEnabled()
    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert services.staff.get(StaffId(gym["coach"])).takes_bookings


def test_a_new_front_desk_person_who_takes_no_bookings(dialog, qtbot, services):
    qtbot.mouseClick(child(dialog, QPushButton, "newStaffButton"), Qt.MouseButton.LeftButton)
    assert bookings_field(dialog).isChecked(), "a new staff member takes bookings by default"
    qtbot.keyClicks(name_field(dialog), "Priya Nair")
    choose_role(dialog, "Front desk")
    qtbot.mouseClick(bookings_field(dialog), Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)

    (priya,) = [s for s in services.staff.list() if s.name == "Priya Nair"]
    assert (priya.role, priya.takes_bookings) == (StaffRole.FRONT_DESK, False)
    assert bookings_column(dialog)["Priya Nair"] == "No"
    assert services.audit.events(action="staff.create")[0].after == {
        "name": "Priya Nair", "role": "front_desk", "active": True, "takes_bookings": False,
    }  # fmt: skip
