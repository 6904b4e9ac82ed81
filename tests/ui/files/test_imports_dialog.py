"""File > Imports: the list of imports, and undo from the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.importing.report import ImportOptions
from desk.ui.files.imports_dialog import ImportsDialog
from tests.actors import SYSTEM
from tests.services.factories import at_local
from tests.ui.driving import answer_box

CREDITS = (
    b"Email,Service,Remaining,Value,Unit Price\n"
    b"bob@example.com,Sports Massage,4,360.00,90.00\n"
    b"ann@example.com,Personal Training,2,170.00,85.00\n"
)


@pytest.fixture
def imported(desk_staff, gym) -> str:
    services = desk_staff.services
    services.imports.import_members(b"Name,Email\nMo Dell,mo@example.com\n", actor=SYSTEM)
    report = services.imports.import_credits(CREDITS, ImportOptions(), actor=SYSTEM).value
    assert report.batch_id is not None
    return report.batch_id


def open_imports(qtbot, window) -> ImportsDialog:
    window.imports_action.trigger()  # File > Imports…
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImportsDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ImportsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def shown_rows(dialog: ImportsDialog) -> list[list[str]]:
    proxy = dialog.table.model()
    return [
        [proxy.index(r, c).data() for c in range(proxy.columnCount())]
        for r in range(proxy.rowCount())
    ]


def credits_row_of(dialog: ImportsDialog) -> int:
    return next(i for i, r in enumerate(shown_rows(dialog)) if r[2] == "Credits")


def click_row(dialog: ImportsDialog, row: int) -> None:
    rect = dialog.table.visualRect(dialog.table.model().index(row, 3))
    QTest.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_list_shows_every_import_and_undo_takes_one_back(
    qtbot, shown_window, desk_staff, gym, imported
):
    dialog = open_imports(qtbot, shown_window)

    rows = shown_rows(dialog)
    assert sorted(r[2:] for r in rows) == [
        ["Credits", "upload", "2", "2", "6", "$530.00", "Imported"],
        ["Members", "upload", "1", "1", "", "", "Imported"],
    ]
    assert {r[1] for r in rows} == {"Command line / system"}
    assert not dialog.undo_button.isEnabled()  # nothing chosen yet

    credits_row = credits_row_of(dialog)
    click_row(dialog, credits_row)
    assert dialog.undo_button.isEnabled()
    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    question = answer_box(dialog, "undoImportQuestion", QMessageBox.StandardButton.Yes)
    desk_staff.runner.wait_idle()

    assert "6 credits it granted ($530.00)" in question
    assert dialog.message.text() == "Undid the import of upload (2 rows)."
    assert shown_rows(dialog)[credits_row_of(dialog)][-1] == "Undone"
    services = desk_staff.services
    bob = services.credits.open_credits(MemberId(gym["bob"]), AppointmentTypeId(gym["massage"]))
    assert bob == 0
    click_row(dialog, credits_row_of(dialog))
    assert not dialog.undo_button.isEnabled()  # an undone import can't be undone again


def test_undo_is_refused_naming_who_used_a_credit(qtbot, shown_window, desk_staff, gym, imported):
    desk_staff.services.booking.book(
        member_id=MemberId(gym["bob"]),
        appointment_type_id=AppointmentTypeId(gym["massage"]),
        staff_id=StaffId(gym["coach"]),
        starts_at=at_local(2026, 3, 10, 9),
        actor=SYSTEM,
    )
    dialog = open_imports(qtbot, shown_window)

    click_row(dialog, credits_row_of(dialog))
    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    answer_box(dialog, "undoImportQuestion", QMessageBox.StandardButton.Yes)
    desk_staff.runner.wait_idle()

    assert "already booked" in dialog.message.text()
    assert "Bob Jones" in dialog.message.text()
    assert shown_rows(dialog)[credits_row_of(dialog)][-1] == "Imported"
    assert dialog.undo_button.isEnabled()  # nothing changed: it may be tried again later


def test_cancelling_the_question_undoes_nothing(qtbot, shown_window, desk_staff, gym, imported):
    dialog = open_imports(qtbot, shown_window)
    click_row(dialog, credits_row_of(dialog))

    QTest.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    answer_box(dialog, "undoImportQuestion", QMessageBox.StandardButton.Cancel)
    desk_staff.runner.wait_idle()

    assert shown_rows(dialog)[credits_row_of(dialog)][-1] == "Imported"
    assert dialog.message.text() == ""
    bob = desk_staff.services.credits.open_credits(
        MemberId(gym["bob"]), AppointmentTypeId(gym["massage"])
    )
    assert bob > 0
