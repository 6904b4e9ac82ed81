"""Settings → Appointment types: the list, the form, and what reaches the services."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QSpinBox, QTableView, QWidget

from desk.services.core.ids import AppointmentTypeId
from desk.ui.settings import appointment_types_dialog as module
from desk.ui.settings.appointment_type_table_model import (
    AppointmentTypeProxyModel,
    AppointmentTypeTableModel,
)
from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog
from desk.ui.widgets.field_error import FieldError
from tests.actors import SYSTEM
from tests.ui import record_lists
from tests.ui.record_lists import child, shown

# The offscreen platform says this about every window shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def dialog(qtbot, desk_staff) -> AppointmentTypesDialog:
    return shown(qtbot, AppointmentTypesDialog(desk_staff))


def name_field(dlg) -> QLineEdit:
    return child(dlg, QLineEdit, "typeNameField")


def price_field(dlg) -> QLineEdit:
    return child(dlg, QLineEdit, "typePriceField")


def save_button(dlg) -> QPushButton:
    return child(dlg, QPushButton, "saveTypeButton")


def name_error(dlg) -> FieldError:
    error = dlg.findChild(FieldError, "typeNameError")
    assert error is not None
    return error


def shown_names(dlg) -> list[str]:
    view = child(dlg, QTableView, "appointmentTypesTable")
    model = view.model()
    return [
        model.index(row, AppointmentTypeTableModel.COL_NAME).data()
        for row in range(model.rowCount())
    ]


def click_row(qtbot, dlg, name: str) -> None:
    record_lists.click_row(
        qtbot, dlg, "appointmentTypesTable", name, AppointmentTypeTableModel.COL_NAME
    )


def retype(qtbot, field: QLineEdit, text: str) -> None:
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)


# --- the table model ---------------------------------------------------------------------


def test_table_model_passes_qtmodeltester(qapp, qtmodeltester, services, gym):
    services.appointment_types.deactivate(AppointmentTypeId(gym["massage"]), actor=SYSTEM)
    model = AppointmentTypeTableModel()
    model.set_rows(services.appointment_types.list(include_inactive=True))
    qtmodeltester.check(model)
    proxy = AppointmentTypeProxyModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_show_inactive(True)
    model.set_rows(services.appointment_types.list())
    assert model.rowCount() == 1


def test_table_model_shows_readable_values_and_sorts_by_value(qapp, services, gym):
    services.appointment_types.create(
        name="Nutrition Consult", duration_minutes=90, default_price_cents=120000, actor=SYSTEM
    )
    services.appointment_types.deactivate(AppointmentTypeId(gym["massage"]), actor=SYSTEM)
    model = AppointmentTypeTableModel()
    model.set_rows(services.appointment_types.list(include_inactive=True))
    pt = model.row_of(gym["pt"])
    assert pt is not None
    assert [model.index(pt, column).data() for column in range(model.columnCount())] == [
        "Personal Training",
        "1 h",
        "$85.00",
        "24 h before",
        "Yes",
    ]
    massage = model.row_of(gym["massage"])
    assert massage is not None
    assert model.index(massage, AppointmentTypeTableModel.COL_ACTIVE).data() == "No"
    assert model.index(massage, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(pt, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(pt, 0).data(AppointmentTypeTableModel.RowRole).id == gym["pt"]

    proxy = AppointmentTypeProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(AppointmentTypeTableModel.COL_PRICE, Qt.SortOrder.AscendingOrder)
    # "$1,200.00" sorts as money, not as text; the inactive massage is hidden.
    assert [proxy.index(row, 0).data() for row in range(proxy.rowCount())] == [
        "Personal Training",
        "Nutrition Consult",
    ]


# --- the dialog --------------------------------------------------------------------------


def test_opens_on_the_first_type_with_every_widget_named(dialog):
    assert dialog.objectName() == "AppointmentTypesDialog"
    assert shown_names(dialog) == ["Personal Training", "Sports Massage"]
    assert name_field(dialog).text() == "Personal Training"
    assert child(dialog, QSpinBox, "typeDurationField").value() == 60
    assert price_field(dialog).text() == "$85.00"
    assert child(dialog, QSpinBox, "typeLateCancelField").value() == 24
    assert child(dialog, QPushButton, "typeColorField").accessibleDescription() == "#3b82f6"
    assert child(dialog, QCheckBox, "typeActiveField").isChecked()
    child(dialog, QCheckBox, "showInactiveTypes")
    child(dialog, QPushButton, "newTypeButton")
    child(dialog, QPushButton, "deactivateTypeButton")
    # Nothing changed yet: nothing to save.
    assert not save_button(dialog).isEnabled()


def test_create_a_type_through_the_form(dialog, qtbot, services, monkeypatch):
    class PickGreen:
        @staticmethod
        def getColor(initial: QColor, parent: QWidget, title: str) -> QColor:
            return QColor("#10B981")

    monkeypatch.setattr(module, "QColorDialog", PickGreen)

    qtbot.mouseClick(child(dialog, QPushButton, "newTypeButton"), Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    assert name_field(dialog).text() == ""
    assert not save_button(dialog).isEnabled()
    qtbot.keyClicks(name_field(dialog), "Reformer Pilates")
    child(dialog, QSpinBox, "typeDurationField").setValue(55)
    qtbot.mouseClick(child(dialog, QPushButton, "typeColorField"), Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    retype(qtbot, price_field(dialog), "$1,250.50")
    child(dialog, QSpinBox, "typeLateCancelField").setValue(12)

    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000) as blocker:
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        dialog._ctx.runner.wait_idle()

    assert blocker.args[0].catalog is True
    created = services.appointment_types.by_name("Reformer Pilates")
    assert (
        created.duration_minutes,
        created.color,
        created.default_price_cents,
        created.late_cancel_hours,
        created.active,
    ) == (55, "#10b981", 125050, 12, True)
    assert created in services.appointment_types.list()
    assert dialog.created_type_ids == [created.id]
    assert "Reformer Pilates" in shown_names(dialog)
    # The new type stays selected for further edits, and "who" is the desk's staff member.
    assert dialog.editing_type_id == created.id
    assert services.audit.events(action="appointment_type.create")[0].actor == "Robin Ames"


def test_edit_price_and_late_cancel_window(dialog, qtbot, services, gym):
    click_row(qtbot, dialog, "Sports Massage")
    assert name_field(dialog).text() == "Sports Massage"
    retype(qtbot, price_field(dialog), "95")
    late_cancel = child(dialog, QSpinBox, "typeLateCancelField")
    late_cancel.selectAll()
    qtbot.keyClicks(late_cancel, "6")
    assert save_button(dialog).isEnabled()

    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000) as blocker:
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        dialog._ctx.runner.wait_idle()

    assert blocker.args[0].catalog is True
    massage = services.appointment_types.get(AppointmentTypeId(gym["massage"]))
    assert (massage.default_price_cents, massage.late_cancel_hours) == (9500, 6)
    assert (massage.name, massage.duration_minutes) == ("Sports Massage", 45)
    assert dialog.created_type_ids == []
    row = dialog.model.row_of(gym["massage"])
    assert dialog.model.index(row, AppointmentTypeTableModel.COL_PRICE).data() == "$95.00"
    assert dialog.model.index(row, AppointmentTypeTableModel.COL_LATE_CANCEL).data() == (
        "6 h before"
    )
    assert price_field(dialog).text() == "$95.00"
    assert not save_button(dialog).isEnabled()


def test_duplicate_name_is_shown_next_to_the_name_and_writes_nothing(dialog, qtbot, services):
    before = services.appointment_types.list(include_inactive=True)
    qtbot.mouseClick(child(dialog, QPushButton, "newTypeButton"), Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    qtbot.keyClicks(name_field(dialog), "sports massage ")

    assert name_error(dialog).isVisible()
    assert "already" in name_error(dialog).text()
    assert "Sports Massage" in name_error(dialog).text()
    assert not save_button(dialog).isEnabled()
    with qtbot.assertNotEmitted(dialog._ctx.hub.changed):
        qtbot.keyClick(name_field(dialog), Qt.Key.Key_Return)
        dialog.save()
    assert services.appointment_types.list(include_inactive=True) == before


def test_name_taken_by_another_desk_shows_the_service_error_next_to_the_name(
    dialog, qtbot, services
):
    qtbot.mouseClick(child(dialog, QPushButton, "newTypeButton"), Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    qtbot.keyClicks(name_field(dialog), "Boxing")
    # Another workstation adds the same name after this dialog loaded its list.
    services.appointment_types.create(name="Boxing", duration_minutes=30, actor=SYSTEM)
    count = len(services.appointment_types.list(include_inactive=True))
    assert save_button(dialog).isEnabled()

    with qtbot.assertNotEmitted(dialog._ctx.hub.changed):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        dialog._ctx.runner.wait_idle()

    assert name_error(dialog).isVisible()
    assert name_error(dialog).text() == "There is already an appointment type named 'Boxing'."
    assert not save_button(dialog).isEnabled()
    assert len(services.appointment_types.list(include_inactive=True)) == count
    assert dialog.created_type_ids == []
    # Changing the name clears the error.
    qtbot.keyClicks(name_field(dialog), " Fit")
    assert not name_error(dialog).isVisible()
    assert save_button(dialog).isEnabled()


def test_save_is_disabled_while_the_name_is_empty_or_the_price_is_not_an_amount(dialog, qtbot):
    qtbot.mouseClick(child(dialog, QPushButton, "newTypeButton"), Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    save = save_button(dialog)
    price_error = dialog.findChild(FieldError, "typePriceError")
    assert not save.isEnabled()
    # An untouched empty form isn't scolded yet.
    assert not name_error(dialog).isVisible()

    qtbot.keyClicks(name_field(dialog), "Stretch Therapy")
    assert save.isEnabled()

    retype(qtbot, price_field(dialog), "twelve")
    assert not save.isEnabled()
    assert price_error.isVisible()
    assert "not an amount" in price_error.text()

    retype(qtbot, price_field(dialog), "12.505")
    assert not save.isEnabled()

    retype(qtbot, price_field(dialog), "12.50")
    assert save.isEnabled()
    assert not price_error.isVisible()

    name_field(dialog).selectAll()
    qtbot.keyClick(name_field(dialog), Qt.Key.Key_Delete)
    assert not save.isEnabled()
    assert name_error(dialog).isVisible()
    assert name_error(dialog).text() == "An appointment type needs a name."


def test_deactivate_hides_the_type_unless_show_inactive(dialog, qtbot, services, gym):
    click_row(qtbot, dialog, "Sports Massage")
    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000) as blocker:
        qtbot.mouseClick(
            child(dialog, QPushButton, "deactivateTypeButton"), Qt.MouseButton.LeftButton
        )

    assert blocker.args[0].catalog is True
    assert not services.appointment_types.get(AppointmentTypeId(gym["massage"])).active
    assert [t.name for t in services.appointment_types.list()] == ["Personal Training"]
    assert shown_names(dialog) == ["Personal Training"]
    assert dialog.editing_type_id is None

    child(dialog, QCheckBox, "showInactiveTypes").click()
    assert shown_names(dialog) == ["Personal Training", "Sports Massage"]
    row = dialog.model.row_of(gym["massage"])
    assert dialog.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None

    # Ticking Active again and saving brings it back.
    click_row(qtbot, dialog, "Sports Massage")
    assert not child(dialog, QPushButton, "deactivateTypeButton").isEnabled()
    child(dialog, QCheckBox, "typeActiveField").click()
    with qtbot.waitSignal(dialog._ctx.hub.changed, timeout=1000):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        dialog._ctx.runner.wait_idle()
    assert services.appointment_types.get(AppointmentTypeId(gym["massage"])).active

    child(dialog, QCheckBox, "showInactiveTypes").click()
    assert shown_names(dialog) == ["Personal Training", "Sports Massage"]


def test_changes_made_elsewhere_show_up(dialog, services):
    outcome = services.appointment_types.create(
        name="Cryotherapy", duration_minutes=15, actor=SYSTEM
    )
    assert "Cryotherapy" not in shown_names(dialog)
    dialog._ctx.hub.publish(outcome.changes)
    assert "Cryotherapy" in shown_names(dialog)


def test_escape_closes_the_dialog(dialog, qtbot):
    qtbot.keyClick(name_field(dialog), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_ask_start_new_opens_an_empty_form_with_the_cursor_in_the_name(
    qtbot, desk_staff, monkeypatch
):
    seen: dict[str, object] = {}

    def fake_exec(self: AppointmentTypesDialog) -> int:
        seen["name"] = self.findChild(QLineEdit, "typeNameField").text()
        seen["focus"] = self.focusWidget() is self.findChild(QLineEdit, "typeNameField")
        seen["editing"] = self.editing_type_id
        return 0

    monkeypatch.setattr(AppointmentTypesDialog, "exec", fake_exec)
    AppointmentTypesDialog.ask(desk_staff, None, start_new=True)
    assert seen == {"name": "", "focus": True, "editing": None}


def test_with_no_types_yet_the_dialog_opens_on_a_new_type(qtbot, ctx):
    dlg = AppointmentTypesDialog(ctx)
    qtbot.addWidget(dlg)
    assert shown_names(dlg) == []
    assert dlg.editing_type_id is None
    assert dlg.focusWidget() is name_field(dlg)
    assert not child(dlg, QPushButton, "deactivateTypeButton").isEnabled()


def test_capacity_makes_a_type_a_group_session(dialog, qtbot, services, gym):
    click_row(qtbot, dialog, "Sports Massage")
    capacity = child(dialog, QSpinBox, "typeCapacityField")
    assert capacity.value() == 1
    assert capacity.text() == "1 (one-to-one)"
    capacity.selectAll()
    qtbot.keyClicks(capacity, "4")
    assert capacity.value() == 4
    assert save_button(dialog).isEnabled()
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    dialog._ctx.runner.wait_idle()
    massage = services.appointment_types.get(AppointmentTypeId(gym["massage"]))
    assert massage.capacity == 4
    assert massage.is_group
    assert not save_button(dialog).isEnabled()
    click_row(qtbot, dialog, "Personal Training")
    assert capacity.value() == 1
    click_row(qtbot, dialog, "Sports Massage")
    assert capacity.value() == 4
