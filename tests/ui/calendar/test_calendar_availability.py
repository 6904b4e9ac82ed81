"""The calendar greys the time a coach doesn't work and shows time off as a labelled
block: read with the calendar's range, painted under the sessions.

The clock says Wednesday 4 March 2026; Kim works Thursdays 09:00-13:00 and is off
on the afternoon of Friday 6 March.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk.services.core.ids import StaffId
from desk.services.people.availability_views import WeeklyRange
from tests.actors import SYSTEM
from tests.ui.calendar.calendar_driving import settle


def _hours(ctx, gym) -> None:
    availability = ctx.services.availability
    availability.set_weekly_hours(
        StaffId(gym["coach"]),
        [WeeklyRange(3, 9 * 60, 13 * 60), WeeklyRange(4, 9 * 60, 18 * 60)],
        actor=SYSTEM,
    )
    availability.add_exception(
        StaffId(gym["coach"]), kind="off", starts_local=datetime(2026, 3, 6, 14),
        ends_local=datetime(2026, 3, 6, 16), note="Dentist", actor=SYSTEM,
    )  # fmt: skip


def _pixel(view, column: int, minute: int) -> QColor:
    canvas = view.canvas
    grid = canvas._grid
    x = grid.column_left(column) + grid.column_width / 2
    y = grid.y_of_minute(minute)
    return canvas.grab().toImage().pixelColor(round(x), round(y))


def _grey(color: QColor) -> bool:
    return color.red() < 240 and abs(color.red() - color.blue()) < 30


def test_the_day_view_greys_kims_time_off_hours(qtbot, view, desk_staff, gym):
    _hours(desk_staff, gym)
    view.show_day(datetime(2026, 3, 5).date())  # a Thursday
    settle(view)
    kim = next(i for i, c in enumerate(view.canvas.columns) if c.staff_id == gym["coach"])
    assert view.canvas.availability[gym["coach"]].keeps_hours
    assert _pixel(view, kim, 10 * 60 + 10) == QColor("#ffffff")  # working
    assert _grey(_pixel(view, kim, 15 * 60 + 10))  # after 13:00
    others = [i for i, c in enumerate(view.canvas.columns) if c.staff_id != gym["coach"]]
    for column in others:  # no hours set: available any time, nothing greyed
        assert _pixel(view, column, 15 * 60 + 10) == QColor("#ffffff")


def test_time_off_is_a_labelled_block_and_comes_and_goes_with_the_hours(
    qtbot, view, desk_staff, gym
):
    _hours(desk_staff, gym)
    view.show_day(datetime(2026, 3, 6).date())
    settle(view)
    kim = next(i for i, c in enumerate(view.canvas.columns) if c.staff_id == gym["coach"])
    (off,) = view.canvas.availability[gym["coach"]].time_off
    assert off.note == "Dentist"
    reddish = _pixel(view, kim, 15 * 60 + 10)
    assert reddish.red() > reddish.blue() + 20
    assert _pixel(view, kim, 11 * 60 + 10) == QColor("#ffffff")
    # Without weekly hours (cleared in Settings), nothing is greyed after 18:00 any more.
    desk_staff.services.availability.set_weekly_hours(StaffId(gym["coach"]), [], actor=SYSTEM)
    qtbot.mouseClick(view.widgets.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.widgets.previous_button, Qt.MouseButton.LeftButton)
    settle(view)
    assert not view.canvas.availability[gym["coach"]].keeps_hours
    assert _pixel(view, kim, 19 * 60 + 10) == QColor("#ffffff")


def test_the_week_view_greys_per_coach_track(qtbot, view, desk_staff, gym):
    _hours(desk_staff, gym)
    qtbot.mouseClick(view.widgets.week_button, Qt.MouseButton.LeftButton)
    view.show_week(datetime(2026, 3, 5).date())
    settle(view)
    canvas = view.canvas
    thursday = next(i for i, c in enumerate(canvas.columns) if c.day.day == 5)
    tracks = canvas.columns[thursday].tracks
    kim = next(t for t, lane in enumerate(tracks) if lane.staff_id == gym["coach"])
    grid = canvas._grid
    image = canvas.grab().toImage()

    def at(track: int, minute: int) -> QColor:
        x = grid.track_left(thursday, track) + grid.track_width / 2
        return image.pixelColor(round(x), round(grid.y_of_minute(minute)))

    assert _grey(at(kim, 15 * 60 + 10))
    assert not _grey(at(kim, 10 * 60 + 10))


def test_dragging_outside_the_coachs_hours_is_refused_in_local_time(
    qtbot, view, desk_staff, gym, monkeypatch
):
    from PySide6.QtCore import QPoint

    from desk.services.core.errors import Unavailable
    from desk.services.core.ids import AppointmentId
    from desk.ui.calendar import calendar_actions
    from tests.ui.calendar.calendar_driving import book, drag

    _hours(desk_staff, gym)
    thursday = datetime(2026, 3, 5).date()
    appt = book(desk_staff, gym, thursday, 11)
    view.show_day(thursday)
    settle(view)
    shown: list[Unavailable] = []
    monkeypatch.setattr(calendar_actions, "show_error", lambda parent, exc: shown.append(exc))
    grab = view.canvas.block_rect(appt.id).center()
    drag(view.canvas, grab, grab + QPoint(0, 48 * 3))  # three hours later: 14:00, after 13:00
    desk_staff.runner.wait_idle()
    (error,) = shown
    assert error.message == (
        "Kim Alvarez works 09:00\u201313:00 on Thursdays. Ann Smith's session was not moved. "
        "Next free: Fri 6 Mar 09:00, Fri 6 Mar 09:15, Fri 6 Mar 09:30, Fri 6 Mar 09:45, "
        "Fri 6 Mar 10:00."
    )
    assert desk_staff.services.booking.get(AppointmentId(appt.id)).starts_at == appt.starts_at
