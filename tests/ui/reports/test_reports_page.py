"""The Reports page (Ctrl+4), driven through its real widgets over the small fixed gym
(tests/services/reports/small_gym.py) on top of the UI tests' gym (Ann's 10 PT at
$800.00, expiring 2026-12-31, nothing used: 80000 cents of liability)."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog


def _texts(page) -> list[list[str]]:
    model = page.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_ctrl_4_opens_the_liability_as_of_today(window):
    page = window.reports
    assert window.pages.currentWidget() is page
    assert window.pages.tabText(3) == "Reports"
    assert page.title.text() == "<b>Credit liability, Wednesday, 4 March 2026</b>"
    rows = _texts(page)
    # Small gym: PT 4 credits 108.34, Yoga 2 credits 0; the UI gym: 10 at 800.00.
    assert ["type", "PT", "4", "$108.34"] in rows
    assert ["type", "Personal Training", "10", "$800.00"] in rows
    assert rows[-1] == ["total", "", "16", "$908.34"]
    # The chart draws the table's own "by type" figures.
    assert page.chart.bars == (("PT", 10_834), ("Personal Training", 80_000), ("Yoga", 0))
    assert page.as_of.isVisible()
    assert not page.first.isVisible()


def _pick(combo, desk_staff, text: str) -> None:
    """Choose ``text`` in a combo box with Home, then Down (one press per item at most)."""
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            break
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text, [combo.itemText(i) for i in range(combo.count())]
    desk_staff.runner.wait_idle()


def _choose(page, desk_staff, title: str) -> None:
    _pick(page.choice, desk_staff, title)


def type_date(field, text: str) -> None:
    """Type ``text`` over what a DateField shows, as a person would, and leave it."""
    field.edit.setFocus()
    QTest.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field.edit, text)
    QTest.keyClick(field.edit, Qt.Key.Key_Tab)


def test_the_movement_for_a_chosen_period_and_its_csv(
    window, desk_staff, monkeypatch, tmp_path, qtbot
):
    page = window.reports
    _choose(page, desk_staff, "Liability movement")
    assert page.first.isVisible()
    assert not page.as_of.isVisible()
    # The period is the 30 days to today: 02-03..03-04. Type its end back to 03-02 (the
    # table changes) and forward again, so what is shown is of the keys pressed.
    assert page.last.text() == "4 Mar 2026"
    type_date(page.last, "2/3/2026")
    desk_staff.runner.wait_idle()
    assert page.title.text() == "<b>Liability movement, 3 Feb \N{EN DASH} 2 Mar 2026</b>"
    assert _texts(page)[-1] == ["Closing value", "$201.66"]  # as of 03-02 (test_liability)
    type_date(page.last, "4 Mar 2026")
    desk_staff.runner.wait_idle()
    assert page.title.text() == "<b>Liability movement, 3 Feb \N{EN DASH} 4 Mar 2026</b>"
    # The UI gym's Ann bought her 10 PT on 03-04 too (the tests' clock): sold 800.00 more.
    assert _texts(page) == [
        ["Opening value", "$0.00"], ["Sold", "$1,059.99"], ["Adjusted", "-$24.99"],
        ["Used", "$58.33"], ["Forfeited", "$33.33"], ["Expired", "$10.00"],
        ["Voided", "$25.00"], ["Closing value", "$908.34"],
    ]  # fmt: skip
    target = tmp_path / "movement.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    QTest.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Line", "Amount"]
    assert rows[-1] == ["Closing value", "908.34"]


def test_a_period_that_ends_before_it_starts_says_so(window, desk_staff, qtbot):
    page = window.reports
    _choose(page, desk_staff, "Sales and account")
    type_date(page.first, "5 Mar 2026")  # the period 02-03..03-04 starts on 03-05
    desk_staff.runner.wait_idle()
    assert page.error.isVisible()
    assert "starts (2026-03-05) after it ends (2026-03-04)" in page.error.text()
    assert not page.export_button.isEnabled()
    type_date(page.first, "4 Mar 2026")
    desk_staff.runner.wait_idle()
    assert not page.error.isVisible()
    assert page.export_button.isEnabled()


def test_enter_on_an_expiring_row_opens_the_member(window, desk_staff, qtbot):
    page = window.reports
    _choose(page, desk_staff, "Expiring soon")
    assert page.days.isVisible()
    # In 30 days from 03-04: Dan (1 Yoga, 03-20) and Ann of the small gym (1 PT, 03-31).
    names = [row[1] for row in _texts(page)]
    assert names == ["Dan Smith", "Ann Smith", "Total"]
    table = page.table
    table.setFocus()
    table.setCurrentIndex(page.model.index(0, 1))
    QTest.keyClick(table, Qt.Key.Key_Return)
    dan = page.model.table.rows[0][0]
    assert dan in window.profiles


def test_attendance_for_one_coach_and_liability_for_one_type(window, desk_staff, qtbot):
    page = window.reports
    _choose(page, desk_staff, "Attendance")
    assert page.coach.isVisible()
    assert page.kind.isVisible()
    _pick(page.coach, desk_staff, "Kim Coach")
    # Kim, 02-03..03-04: a1 attended, a2 no-show (c1 on 03-05 is after the period).
    total = _texts(page)[0]
    assert total[:5] == ["total", "All sessions", "2", "1", "1"]
    _choose(page, desk_staff, "Credit liability")
    assert not page.coach.isVisible()
    _pick(page.kind, desk_staff, "PT")
    assert _texts(page)[-1] == ["total", "", "4", "$108.34"]  # A 1 + C 3, the small gym's PT
