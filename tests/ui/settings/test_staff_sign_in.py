"""Settings > Staff: who can sign in, and a namesake asked about before it is added."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desk.services.core.ids import StaffId
from desk.ui.settings.staff_dialog import StaffDialog
from desk.ui.settings.staff_table_model import StaffTableModel
from tests.actors import SYSTEM


def sign_in_column(dialog: StaffDialog) -> dict[str, str]:
    model = dialog.model
    return {
        model.row_at(r).name: model.index(r, StaffTableModel.COL_SIGN_IN).data()
        for r in range(model.rowCount())
    }


def test_the_list_says_who_can_sign_in(qtbot, desk_staff, gym):
    desk_staff.services.auth.set_login(
        StaffId(gym["desk"]), username="robin", password="robin's password", actor=SYSTEM
    )
    dialog = StaffDialog(desk_staff)
    qtbot.addWidget(dialog)
    header = dialog.model.headerData(StaffTableModel.COL_SIGN_IN, Qt.Orientation.Horizontal)
    assert header == "Sign-in"
    assert sign_in_column(dialog) == {"Kim Alvarez": "no login", "Robin Ames": "robin"}


def test_a_namesake_is_asked_about_first(qtbot, desk_staff, gym, monkeypatch):
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(parent, title, text, *args):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = StaffDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name_field, "kim alvarez")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert asked == ["There is already a staff member named Kim Alvarez. Add another?"]
    assert dialog.created_staff_ids == []
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert len(asked) == 2
    assert len(dialog.created_staff_ids) == 1
    names = [s.name for s in desk_staff.services.staff.list()]
    assert names.count("kim alvarez") + names.count("Kim Alvarez") == 2
