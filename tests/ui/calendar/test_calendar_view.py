"""The calendar screen: blocks where bookings are, clicks that book, moving around."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel

from desk.ui.calendar.calendar_layout import HourRange
from desk.ui.calendar.calendar_view import CalendarView
from desk.ui.widgets.date_field import DateField
from tests.ui.calendar.calendar_driving import (
    NY,
    WEDNESDAY,
    book,
    button,
    drag,
    panel_text,
    settle,
    shown_ids,
)


def test_the_day_view_has_a_column_per_staff_member_and_blocks_at_their_times(view, gym, ctx):
    ann = book(ctx, gym, WEDNESDAY, 11)
    view.reload()
    settle(view)
    assert view.objectName() == "CalendarView"
    for name in ("dayViewButton", "weekViewButton", "todayButton", "previousButton", "nextButton"):
        assert button(view, name) is not None, name
    assert view.findChild(DateField, "calendarDate").date().toString("yyyy-MM-dd") == "2026-03-04"
    assert view.canvas.objectName() == "calendarCanvas"
    assert view.canvas.accessibleName()
    assert view.mode == "day"
    assert button(view, "dayViewButton").isChecked()
    assert [(c.staff_id, c.title) for c in view.canvas.columns] == [
        (gym["coach"], "Kim Alvarez"),
        (gym["desk"], "Robin Ames"),
    ]
    assert view.visible_range() == (
        datetime(2026, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 3, 5, 5, tzinfo=UTC),
    )
    (block,) = view.canvas.blocks
    assert block.appointment.id == ann.id
    assert block.column == 0
    assert view.canvas.hours == HourRange(6, 22)
    assert block.top == pytest.approx(5 / 16)  # 11:00 on the 06:00-22:00 grid
    rect = view.canvas.block_rect(ann.id)
    assert rect is not None
    assert view.canvas.rect().contains(rect)
    assert view.canvas.columns[0].subtitle == "1 session"
    assert "Today" in view.findChild(QLabel, "calendarTitle").text()
    assert view.findChild(QLabel, "calendarSummary").text() == "1 appointment"


def test_the_week_view_runs_monday_to_sunday_and_navigates(view, gym, ctx):
    thursday = book(ctx, gym, date(2026, 3, 5), 9)
    sunday = book(ctx, gym, date(2026, 3, 8), 10)  # the clocks went forward that night
    monday_after = book(ctx, gym, date(2026, 3, 9), 10)
    button(view, "weekViewButton").click()
    settle(view)
    assert view.mode == "week"
    assert button(view, "weekViewButton").isChecked()
    assert [c.day for c in view.canvas.columns] == [
        date(2026, 3, 2) + timedelta(days=i) for i in range(7)
    ]
    assert view.visible_range() == (
        datetime(2026, 3, 2, 5, tzinfo=UTC),
        datetime(2026, 3, 9, 4, tzinfo=UTC),
    )
    blocks = {b.appointment.id: b for b in view.canvas.blocks}
    assert set(blocks) == {thursday.id, sunday.id}  # Monday the 9th is next week
    assert blocks[thursday.id].column == 3
    assert blocks[sunday.id].column == 6
    assert "2 \N{EN DASH} 8 Mar 2026" in view.findChild(QLabel, "calendarTitle").text()
    assert view.widgets.header.zone_label == "EST/EDT"  # the clocks change on Sunday

    button(view, "nextButton").click()
    settle(view)
    assert view.canvas.columns[0].day == date(2026, 3, 9)
    (block,) = view.canvas.blocks
    assert block.appointment.id == monday_after.id
    assert block.top == pytest.approx(blocks[sunday.id].top)  # 10:00 is 10:00, DST or not
    button(view, "previousButton").click()
    settle(view)
    button(view, "previousButton").click()
    settle(view)
    assert view.canvas.columns[0].day == date(2026, 2, 23)
    button(view, "todayButton").click()
    settle(view)
    assert view.canvas.columns[0].day == date(2026, 3, 2)
    button(view, "dayViewButton").click()
    settle(view)
    assert view.mode == "day"
    assert view.day == WEDNESDAY
    button(view, "nextButton").click()
    settle(view)
    assert view.day == date(2026, 3, 5)
    assert shown_ids(view) == {thursday.id}
    view.findChild(DateField, "calendarDate").setDate(date(2026, 3, 8))
    settle(view)
    assert view.day == date(2026, 3, 8)
    assert shown_ids(view) == {sunday.id}


def test_clicking_an_empty_slot_asks_to_book_it_for_that_staff_member(view, gym, qtbot):
    robin = view.canvas.columns.index(
        next(c for c in view.canvas.columns if c.staff_id == gym["desk"])
    )
    point = view.canvas.slot_point(robin, datetime(2026, 3, 4, 14, 15, tzinfo=NY))
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point + QPoint(0, 3))
    staff_id, starts_at = signal.args
    assert staff_id == gym["desk"]
    assert starts_at == datetime(2026, 3, 4, 19, 15, tzinfo=UTC)
    assert starts_at.tzinfo is not None


def test_dragging_across_empty_slots_books_from_where_the_drag_started(view, gym, qtbot):
    start = view.canvas.slot_point(0, datetime(2026, 3, 4, 16, 0, tzinfo=NY))
    with qtbot.waitSignal(view.booking_requested) as signal:
        drag(view.canvas, start, start + QPoint(0, 60))
    assert signal.args == [gym["coach"], datetime(2026, 3, 4, 21, 0, tzinfo=UTC)]


def test_in_the_week_view_a_click_books_with_the_filtered_staff_member(view, gym, qtbot):
    view.show_week(WEDNESDAY)
    settle(view)
    friday = datetime(2026, 3, 6, 9, 30, tzinfo=NY)
    robin = view.canvas.slot_point(4, friday, track=1)  # every coach: Robin's track
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=robin)
    assert signal.args == [gym["desk"], friday.astimezone(UTC)]
    staff = view.findChild(QComboBox, "staffFilter")
    staff.setCurrentIndex(staff.findText("Kim Alvarez"))
    assert view.canvas.grid.tracks == 1  # one coach: the whole day is theirs
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=robin)
    assert signal.args == [gym["coach"], friday.astimezone(UTC)]


def test_selecting_an_appointment_off_screen_goes_to_its_day(view, gym, ctx):
    appt = book(ctx, gym, date(2026, 3, 10), 8)
    view.select_appointment(appt.id)
    settle(view)
    assert view.day == date(2026, 3, 10)
    assert view.selected is not None
    assert view.selected.id == appt.id
    assert panel_text(view, "panelMember") == "Ann Smith"


def test_the_grid_starts_scrolled_to_the_morning(qtbot, desk_staff):
    widget = CalendarView(desk_staff)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)  # too short for the whole day
    widget.show()
    qtbot.waitExposed(widget)
    top = widget.widgets.scroll_area.verticalScrollBar().value()
    assert widget.canvas.hour_at(top + widget.canvas.grid.pad_top) == pytest.approx(7, abs=0.1)


def test_arrow_keys_step_through_the_appointments(view, gym, ctx, qtbot):
    late = book(ctx, gym, WEDNESDAY, 18)
    early = book(ctx, gym, WEDNESDAY, 9, allow_past=True)  # before the clock's 10:00
    middle = book(ctx, gym, WEDNESDAY, 12, staff="desk")
    view.reload()
    settle(view)
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Down)
    assert view.selected.id == early.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.selected.id == middle.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Down)
    assert view.selected.id == late.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Down)  # stays on the last one
    assert view.selected.id == late.id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Up)
    assert view.selected.id == middle.id
    assert panel_text(view, "panelStaff") == "with Robin Ames"
