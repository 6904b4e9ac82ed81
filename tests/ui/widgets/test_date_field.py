"""DateField: typed dates in the desk's locale, and its calendar popup."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDateEdit, QWidget

from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.settings.audit_log_dialog import AuditLogDialog
from desk.ui.widgets.date_field import DateField

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture
def field(qtbot) -> DateField:
    widget = DateField("someDate", "Some date", date(2026, 12, 1))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_into(field: DateField, text: str) -> None:
    field.edit.setFocus()
    QTest.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field.edit, text)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("30 Jun 2027", "30 Jun 2027"),
        ("30/06/2027", "30 Jun 2027"),
        ("30/6/27", "30 Jun 2027"),
        ("30 June 2027", "30 Jun 2027"),
        ("2027-06-30", "30 Jun 2027"),
    ],
)
def test_a_uk_desk_takes_typed_dates(field, typed, shown):
    assert field.text() == "1 Dec 2026"
    type_into(field, typed)
    assert field.day() == date(2027, 6, 30)
    QTest.keyClick(field.edit, Qt.Key.Key_Return)  # the text is written the desk's way
    assert field.text() == shown


@pytest.mark.parametrize("typed", ["06/30/2027", "6/30/27", "Jun 30, 2027", "June 30, 2027"])
def test_a_us_desk_takes_typed_dates(qtbot, typed):
    QLocale.setDefault(US)  # the autouse locale fixture puts en_GB back afterwards
    field = DateField("someDate", "Some date", date(2026, 12, 1))
    qtbot.addWidget(field)
    field.show()
    assert field.text() == "Dec 1, 2026"
    type_into(field, typed)
    assert field.day() == date(2027, 6, 30)
    QTest.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.text() == "Jun 30, 2027"


def test_digits_are_read_in_the_locales_order_only(qtbot, field):
    type_into(field, "06/07/2027")
    assert field.day() == date(2027, 7, 6)  # 6 July on a UK desk
    QLocale.setDefault(US)
    us_field = DateField("usDate", "US date", date(2026, 12, 1))
    qtbot.addWidget(us_field)
    type_into(us_field, "06/07/2027")
    assert us_field.day() == date(2027, 6, 7)
    type_into(us_field, "30/06/2027")  # no 30th month: not a US date
    assert us_field.day() == date(2027, 6, 7)


def test_text_that_is_no_date_keeps_the_last_date_and_comes_back_on_leaving(field, qtbot):
    seen: list[QDate] = []
    field.dateChanged.connect(seen.append)
    type_into(field, "31 Feb 2027")
    assert field.day() == date(2026, 12, 1)
    assert not field.is_valid_text()
    assert "b42318" in field.edit.styleSheet()  # the red frame
    QTest.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.text() == "1 Dec 2026"
    assert field.edit.styleSheet() == ""
    assert seen == []


def test_dates_before_the_minimum_are_refused(field):
    field.setMinimumDate(QDate(2026, 12, 1))
    type_into(field, "30 Nov 2026")
    assert field.day() == date(2026, 12, 1)
    type_into(field, "2 Dec 2026")
    assert field.day() == date(2026, 12, 2)


def test_the_calendar_button_opens_a_calendar_and_a_click_picks_the_day(field, qtbot):
    QTest.mouseClick(field.popup_button, Qt.MouseButton.LeftButton)
    assert field.popup.isVisible()
    assert field.calendar.selectedDate() == QDate(2026, 12, 1)
    table = field.calendar.findChild(QWidget, "qt_calendar_calendarview")
    # Find the cell that shows the 15th of the month shown, and click it.
    model = table.model()
    cell = next(
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.index(r, c).data() == 15
    )
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(cell).center()
    )
    assert not field.popup.isVisible()
    assert field.day() == date(2026, 12, 15)
    assert field.text() == "15 Dec 2026"


def test_alt_down_opens_the_calendar(field):
    field.edit.setFocus()
    QTest.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert field.popup.isVisible()
    QTest.keyClick(field.calendar, Qt.Key.Key_Escape)
    assert not field.popup.isVisible()


@pytest.mark.parametrize(
    "build",
    [
        lambda ctx, gym: AddCreditsDialog(ctx, gym["ann"], "Ann Smith"),
        lambda ctx, gym: AssignPlanDialog(ctx, gym["ann"], "Ann Smith"),
        lambda ctx, gym: BillingRunDialog(ctx),
        lambda ctx, gym: AuditLogDialog(ctx),
    ],
)
def test_date_entry_uses_the_date_field(qtbot, desk_staff, gym, build):
    dialog = build(desk_staff, gym)
    qtbot.addWidget(dialog)
    assert dialog.findChildren(DateField)
    assert dialog.findChildren(QDateEdit) == []
