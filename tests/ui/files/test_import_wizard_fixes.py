"""The import wizard fixes what it finds: the Types page, leaving a row out, the
sortable preview with totals per type, and the report of every row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QWizard

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.files.import_wizard import ImportWizard

# Pike13-like: a pass name Desk doesn't know, a row with nothing left, one for nobody.
FILE = (
    "Email,Pass Name,Visits Remaining,Visits Total,End Date,Price\n"
    "ann@example.com,PT 60 min,4,10,2026-12-31,$850.00\n"  # line 2
    "bob@example.com,Sports Massage,2,5,2026-11-30,$450.00\n"  # 3
    "bob@example.com,Sports Massage,0,5,2026-11-30,$450.00\n"  # 4: nothing left
    "nobody@example.com,Sports Massage,3,3,,$270.00\n"  # 5: no such member
    "ann@example.com,Sports Massage,1,1,,$95.00\n"  # 6
)


@pytest.fixture
def pike13(tmp_path: Path) -> Path:
    path = tmp_path / "pike13.csv"
    path.write_text(FILE, encoding="utf-8")
    return path


@pytest.fixture
def wizard(qtbot, desk_staff) -> ImportWizard:
    widget = ImportWizard(desk_staff)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_next(wizard: ImportWizard) -> None:
    QTest.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def click_import(wizard: ImportWizard) -> None:
    QTest.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)


def to_types_page(wizard: ImportWizard, path: Path) -> None:
    QTest.keyClicks(wizard.file_page.file, str(path))
    click_next(wizard)
    assert wizard.currentPage() is wizard.mapping_page
    click_next(wizard)
    assert wizard.currentPage() is wizard.types_page


def grid_text(page, row: int, column: int) -> str:
    return page.grid.itemAtPosition(row, column).widget().text()


def click_table_row(view, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def wait_checked(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.state.preview is not None, timeout=10_000)


def test_the_types_page_maps_a_name_desk_lacks_and_remembers_it(
    qtbot, wizard, pike13, desk_staff, gym, tmp_path
):
    to_types_page(wizard, pike13)
    page = wizard.types_page

    # Each name with the rows and credits it carries; the zero row carries nothing.
    assert [(grid_text(page, r, 0), grid_text(page, r, 1), grid_text(page, r, 2))
            for r in (1, 2)] == [("PT 60 min", "1", "4"), ("Sports Massage", "3", "6")]  # fmt: skip
    assert page.combos[1].currentText() == "Sports Massage"  # same name: already matched
    assert page.combos[0].currentText() == "Choose…"
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    page.combos[0].setFocus()
    QTest.keyClicks(page.combos[0], "Personal")
    assert page.combos[0].currentText() == "Personal Training"
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    click_next(wizard)
    wait_checked(qtbot, wizard)
    assert [(p.row, p.value) for p in wizard.state.preview.errors] == [(5, "nobody@example.com")]

    # Leave row 5 out from the preview: the check runs again without it.
    click_table_row(wizard.preview_page.table, 0)
    QTest.mouseClick(wizard.preview_page.leave_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10_000)
    assert "1 left out" in wizard.preview_page.status.text()
    assert "1 skipped with nothing remaining" in wizard.preview_page.status.text()

    with qtbot.waitSignal(desk_staff.hub.changed, timeout=10_000):
        click_import(wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=10_000)
    summary = wizard.summary_page.summary.text()
    assert "Imported 3 rows" in summary
    assert "1 row(s) with nothing remaining were skipped." in summary
    assert "Left out: row 5 (left out in the preview: no member with this email" in summary
    credits = desk_staff.services.credits
    assert credits.open_credits(MemberId(gym["ann"]), AppointmentTypeId(gym["pt"])) == 14
    assert credits.open_credits(MemberId(gym["bob"]), AppointmentTypeId(gym["massage"])) == 2

    # The next file from Pike13 finds "PT 60 min" already matched.
    again = ImportWizard(desk_staff)
    qtbot.addWidget(again)
    again.show()
    later = tmp_path / "pike13-april.csv"
    later.write_text(FILE.replace(",4,10,", ",6,10,"), encoding="utf-8")
    to_types_page(again, later)
    assert again.types_page.combos[0].currentText() == "Personal Training"


def test_the_preview_sorts_who_gets_what_and_totals_each_type(qtbot, wizard, pike13, gym):
    to_types_page(wizard, pike13)
    wizard.types_page.combos[0].setFocus()
    QTest.keyClicks(wizard.types_page.combos[0], "Personal")
    click_next(wizard)
    wait_checked(qtbot, wizard)
    preview = wizard.preview_page

    view = preview.rows
    header = view.horizontalHeader()
    value_column = 5
    at = QPoint(
        header.sectionViewportPosition(value_column) + header.sectionSize(value_column) // 2,
        header.height() // 2,
    )

    def values() -> list[str]:
        return [view.model().index(r, value_column).data() for r in range(view.model().rowCount())]

    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    first = values()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    second = values()
    # Sorted by value to the cent, one way then the other (the skipped and the
    # broken row carry none).
    ascending = ["", "", "$95.00", "$180.00", "$340.00"]
    assert sorted((first, second)) == sorted((ascending, ascending[::-1]))
    totals = preview.totals_table.model()
    assert [[totals.index(r, c).data() for c in range(4)] for r in range(totals.rowCount())] == [
        ["Personal Training", "1", "4", "$340.00"],
        ["Sports Massage", "2", "3", "$275.00"],
    ]


def test_the_report_accounts_for_every_row(qtbot, wizard, pike13, gym, tmp_path, monkeypatch):
    to_types_page(wizard, pike13)
    wizard.types_page.combos[0].setFocus()
    QTest.keyClicks(wizard.types_page.combos[0], "Personal")
    click_next(wizard)
    wait_checked(qtbot, wizard)
    target = tmp_path / "report.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    QTest.mouseClick(wizard.preview_page.report_button, Qt.MouseButton.LeftButton)

    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("2", "to import"),
        ("3", "to import"),
        ("4", "skipped: nothing remaining"),
        ("5", "error"),
        ("6", "to import"),
    ]
    assert "no member with this email" in rows[4][7]
