"""Who the calendar shows, coach tracks in the week view, and the hour labels that stay
put while the grid scrolls sideways: driven through the real widgets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel

from desk.services.core.ids import StaffId
from desk.ui.calendar.calendar_view import CalendarView
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import NY, WEDNESDAY, book, send_mouse, settle

THURSDAY = date(2026, 3, 5)


def titles(view: CalendarView) -> list[str]:
    return [c.title for c in view.canvas.columns]


def test_the_day_view_shows_who_takes_bookings_and_anyone_booked(view, gym, ctx):
    assert titles(view) == ["Kim Alvarez", "Robin Ames"]
    ctx.hub.publish(
        ctx.services.staff.set_takes_bookings(StaffId(gym["desk"]), False, actor=SYSTEM).changes
    )
    settle(view)
    assert titles(view) == ["Kim Alvarez"]
    staff = view.findChild(QComboBox, "staffFilter")
    assert [staff.itemText(i) for i in range(staff.count())] == ["All staff", "Kim Alvarez"]
    # Robin takes no bookings but has a session on Thursday: that day shows them.
    book(ctx, gym, THURSDAY, 15, staff="desk")
    view.show_day(THURSDAY)
    settle(view)
    assert titles(view) == ["Kim Alvarez", "Robin Ames"]
    assert view.canvas.columns[1].subtitle == "1 session"
    view.show_day(THURSDAY + timedelta(days=1))
    settle(view)
    assert titles(view) == ["Kim Alvarez"]


def test_the_week_view_gives_every_coach_a_labelled_track_in_each_day(view, gym, ctx, qtbot):
    kim = book(ctx, gym, THURSDAY, 9)
    robin = book(ctx, gym, THURSDAY, 11, staff="desk")
    view.show_week(WEDNESDAY)
    settle(view)
    thursday = next(i for i, c in enumerate(view.canvas.columns) if c.day == THURSDAY)
    tracks = view.canvas.columns[thursday].tracks
    assert [(t.staff_id, t.label) for t in tracks] == [(gym["coach"], "KA"), (gym["desk"], "RA")]
    grid = view.canvas.grid
    assert grid.tracks == 2
    for appt, track in ((kim, 0), (robin, 1)):
        rect = view.canvas.block_rect(appt.id)
        assert rect is not None
        left = grid.track_left(thursday, track)
        # Inside its coach's track, and (alone there) nearly as wide as it.
        assert left <= rect.left()
        assert rect.right() <= left + grid.track_width
        assert rect.width() >= grid.track_width - 4
    legend = view.findChild(QLabel, "calendarLegend")
    assert legend.isVisibleTo(view)
    assert "Kim Alvarez" in legend.text()
    assert "Robin Ames" in legend.text()
    header = view.widgets.header
    assert header.height() == view.canvas.header_height() > 46
    middle = header.mapFromGlobal(
        view.canvas.mapToGlobal(view.canvas.slot_point(thursday, THURSDAY_9, track=1))
    )
    assert header.track_at(middle.x(), header.height() - 6) == "Robin Ames"

    # One coach chosen: their sessions get the whole day again, and no legend.
    staff = view.findChild(QComboBox, "staffFilter")
    staff.setFocus()
    qtbot.keyClicks(staff, "Kim")  # a closed combo box selects what is typed
    assert staff.currentText() == "Kim Alvarez"
    assert view.canvas.grid.tracks == 1
    assert not view.canvas.columns[thursday].tracks
    rect = view.canvas.block_rect(kim.id)
    assert rect is not None
    assert rect.width() >= view.canvas.grid.column_width - 4
    assert view.canvas.block_rect(robin.id) is None
    assert not legend.isVisibleTo(view)
    assert view.widgets.header.height() == 46


THURSDAY_9 = datetime(2026, 3, 5, 9, tzinfo=NY)


def test_a_click_in_a_track_books_that_coach_and_a_drag_too(view, gym, qtbot):
    view.show_week(WEDNESDAY)
    settle(view)
    at_two = datetime(2026, 3, 5, 14, 0, tzinfo=NY)
    for track, staff in ((0, gym["coach"]), (1, gym["desk"])):
        point = view.canvas.slot_point(3, at_two, track=track)
        with qtbot.waitSignal(view.booking_requested) as signal:
            qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
        assert signal.args == [staff, at_two.astimezone(UTC)]
    # Near the edges of a track, not just its middle.
    edge = view.canvas.grid.track_left(3, 1) + view.canvas.grid.track_width - 3
    point = view.canvas.slot_point(3, at_two)
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(edge), point.y()))
    assert signal.args[0] == gym["desk"]


def test_eight_coaches_fit_or_scroll_with_the_hours_in_view(qtbot, desk_staff, gym):
    services = desk_staff.services
    names = ["Ines Duarte", "Jordan Reyes", "Lena Vogel", "Marco Bianchi", "Priya Nair",
             "Sam Okoye"]  # fmt: skip
    for name in names:
        services.staff.create(name=name, role="coach", actor=SYSTEM)
    view = CalendarView(desk_staff)
    qtbot.addWidget(view)
    view.resize(700, 600)  # too narrow for eight columns
    view.show()
    qtbot.waitExposed(view)
    settle(view)
    assert len(view.canvas.columns) == 8
    area = view.widgets.scroll_area
    bar = area.horizontalScrollBar()
    assert bar.maximum() > 0
    hours = view.widgets.time_column
    before = hours.geometry()
    assert hours.isVisible()
    assert before.right() < area.viewport().geometry().left() + 1
    bar.setValue(bar.maximum())
    assert view.canvas.x() < 0
    assert hours.isVisible()
    assert hours.geometry() == before  # the hour labels don't scroll sideways
    # The last coach's column, scrolled into view, books the last coach.
    last = len(view.canvas.columns) - 1
    point = view.canvas.slot_point(last, datetime(2026, 3, 4, 15, 0, tzinfo=NY))
    assert area.viewport().rect().contains(view.canvas.mapTo(area.viewport(), point))
    with qtbot.waitSignal(view.booking_requested) as signal:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert signal.args[0] == view.canvas.columns[last].staff_id

    view.resize(1400, 600)  # wide enough: no sideways scrolling
    qtbot.wait_until(lambda: bar.maximum() == 0, timeout=2000)
    assert view.canvas.grid.column_width >= 108


def test_the_hour_labels_follow_the_grid_up_and_down(qtbot, desk_staff):
    view = CalendarView(desk_staff)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    qtbot.waitExposed(view)
    bar = view.widgets.scroll_area.verticalScrollBar()
    first = view.widgets.time_column.grab().toImage()
    bar.setValue(bar.value() + 96)  # two hours further down
    second = view.widgets.time_column.grab().toImage()
    assert first != second


def test_hovering_a_free_slot_lights_up_only_that_coachs_track(view, gym):
    view.show_week(WEDNESDAY)
    settle(view)
    at_four = datetime(2026, 3, 5, 16, 0, tzinfo=NY)
    kim = view.canvas.slot_point(3, at_four, track=0)
    robin = view.canvas.slot_point(3, at_four, track=1)
    probe_kim, probe_robin = kim + QPoint(8, 0), robin + QPoint(8, 0)
    before = view.canvas.grab().toImage()
    send_mouse(view.canvas, QEvent.Type.MouseMove, robin, Qt.MouseButton.NoButton)
    hovered = view.canvas.grab().toImage()
    assert hovered.pixel(probe_robin) != before.pixel(probe_robin)
    assert hovered.pixel(probe_kim) == before.pixel(probe_kim)
    send_mouse(view.canvas, QEvent.Type.MouseMove, kim, Qt.MouseButton.NoButton)
    moved = view.canvas.grab().toImage()
    assert moved.pixel(probe_kim) != before.pixel(probe_kim)
    assert moved.pixel(probe_robin) == before.pixel(probe_robin)
