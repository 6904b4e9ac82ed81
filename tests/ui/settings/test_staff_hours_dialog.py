"""Settings → Staff → Hours and types…: weekly hours typed, types ticked, time off added
and removed, all through the dialog's widgets."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTimeEdit

from desk.services.core.ids import StaffId
from desk.services.people.availability_views import WeeklyRange
from desk.ui.settings.staff_dialog import StaffDialog
from desk.ui.settings.staff_hours_dialog import StaffHoursDialog
from tests.ui.record_lists import child, shown
from tests.ui.settings.test_staff_dialog import click_row

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


def _open_hours(qtbot, desk_staff) -> StaffHoursDialog:
    staff = shown(qtbot, StaffDialog(desk_staff))
    click_row(qtbot, staff, "Kim Alvarez")
    button = child(staff, QPushButton, "staffHoursButton")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    hours = staff.findChild(StaffHoursDialog)
    assert hours is not None
    qtbot.waitExposed(hours)
    return hours


def _type(qtbot, field, text: str) -> None:
    field = getattr(field, "edit", field)  # a DateField's own line edit
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def _type_time(qtbot, dialog, edit: QTimeEdit, hour: str, minute: str) -> None:
    """Type the hour and the minute into their sections (the field needs the focus)."""
    dialog.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setSelectedSection(QTimeEdit.Section.HourSection)
    qtbot.keyClicks(edit, hour)
    edit.setSelectedSection(QTimeEdit.Section.MinuteSection)
    qtbot.keyClicks(edit, minute)


def test_typed_hours_and_types_are_saved(qtbot, desk_staff, gym):
    hours = _open_hours(qtbot, desk_staff)
    assert hours.summary.text() == "No weekly hours: available any time (time off aside)."
    assert hours.all_types.isChecked()
    _type(qtbot, hours.days[1], "9-13, 14:00-18:00")
    _type(qtbot, hours.days[3], "07:30-12")
    assert hours.summary.text().startswith("Bookable only inside these hours")
    qtbot.mouseClick(hours.all_types, Qt.MouseButton.LeftButton)
    massage = hours.type_boxes[gym["massage"]]
    assert massage.isEnabled()
    qtbot.mouseClick(massage, Qt.MouseButton.LeftButton, pos=QPoint(8, massage.height() // 2))
    qtbot.mouseClick(hours.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    saved = desk_staff.services.availability.hours(StaffId(gym["coach"]))
    assert saved.weekly == (
        WeeklyRange(1, 540, 780), WeeklyRange(1, 840, 1080), WeeklyRange(3, 450, 720),
    )  # fmt: skip
    assert not saved.delivers_all_types
    assert saved.delivered_type_ids == {gym["pt"]}
    assert not hours.isVisible()


def test_a_bad_range_is_said_next_to_its_day_and_save_waits(qtbot, desk_staff, gym):
    hours = _open_hours(qtbot, desk_staff)
    _type(qtbot, hours.days[2], "13-9")
    assert hours.day_errors[2].text() == "13-9 ends before it starts."
    assert not hours.save_button.isEnabled()
    _type(qtbot, hours.days[2], "9-12, 11-13")
    assert hours.day_errors[2].text() == "Two ranges overlap."
    _type(qtbot, hours.days[2], "9-12")
    assert hours.day_errors[2].text() == ""
    assert hours.save_button.isEnabled()


def test_time_off_is_added_and_removed(qtbot, desk_staff, gym):
    hours = _open_hours(qtbot, desk_staff)
    _type(qtbot, hours.from_day, "16 Mar 2026")
    _type(qtbot, hours.to_day, "20 Mar 2026")
    qtbot.keyClicks(hours.note, "Holiday")
    qtbot.mouseClick(hours.add_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    model = hours.exception_model
    assert [model.index(0, c).data() for c in range(3)] == [
        "Time off", "16 \u2013 20 Mar 2026", "Holiday",
    ]  # fmt: skip
    (off,) = desk_staff.services.availability.hours(StaffId(gym["coach"])).exceptions
    assert (off.starts_local, off.ends_local) == (datetime(2026, 3, 16), datetime(2026, 3, 21))
    # An afternoon's extra shift, with times.
    hours.exception_kind.setCurrentIndex(1)
    qtbot.mouseClick(hours.whole_days, Qt.MouseButton.LeftButton)
    assert hours.from_time.isVisible()
    _type(qtbot, hours.from_day, "21 Mar 2026")
    _type(qtbot, hours.to_day, "21 Mar 2026")
    _type_time(qtbot, hours, hours.from_time, "14", "00")
    _type_time(qtbot, hours, hours.to_time, "17", "00")
    qtbot.mouseClick(hours.add_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert hours.exception_error.text() == ""
    assert hours.from_time.time().toString("HH:mm") == "14:00"
    assert hours.to_time.time().toString("HH:mm") == "17:00"
    assert model.rowCount() == 2
    assert model.index(1, 1).data() == "14:00\u201317:00 on 21 Mar"
    first = hours.exception_table.visualRect(model.index(0, 0)).center()
    qtbot.mouseClick(hours.exception_table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseClick(hours.remove_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    (left,) = desk_staff.services.availability.hours(StaffId(gym["coach"])).exceptions
    assert left.kind == "extra"
    assert model.rowCount() == 1
    assert QApplication.activeModalWidget() in (hours, None)
