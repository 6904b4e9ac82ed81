"""Coach tracks without a widget: who is on the calendar, labels, and track geometry."""

from __future__ import annotations

from datetime import date

import pytest

from desk.services.core.read_models import StaffRole, StaffView
from desk.ui.calendar.calendar_layout import (
    MIN_COLUMN_WIDTH,
    MIN_TRACK_WIDTH,
    Grid,
    HourRange,
    layout_blocks,
    min_column_width,
    week_columns,
)
from desk.ui.calendar.calendar_tracks import initials, on_the_calendar, tracks_for
from tests.ui.calendar.test_calendar_layout import NY, appt, local


def staff(id: int, name: str, *, active: bool = True, takes_bookings: bool = True) -> StaffView:
    return StaffView(id, name, StaffRole.COACH, active, takes_bookings)


def test_the_calendar_shows_bookable_staff_then_anyone_booked():
    people = [
        staff(1, "Kim Alvarez"),
        staff(2, "Robin Ames", takes_bookings=False),
        staff(3, "Lee Park", active=False),
        staff(4, "Sam Okoye"),
    ]
    assert on_the_calendar(people, []) == [(1, "Kim Alvarez"), (4, "Sam Okoye")]
    booked = [appt(1, local(2026, 3, 4, 9), staff_id=3), appt(2, local(2026, 3, 4, 10), staff_id=1)]
    assert on_the_calendar(people, booked) == [(1, "Kim Alvarez"), (4, "Sam Okoye"), (3, "Coach 3")]


def test_track_labels_are_initials_made_unique():
    assert initials("Kim Alvarez") == "KA"
    assert initials("Anne-Marie de la Cruz") == "AC"
    assert initials("Sam") == "S"
    tracks = tracks_for([(1, "Kim Alvarez"), (2, "Kai Adams"), (3, "Lee Park"), (4, "Kim Alvarez")])
    assert [t.label for t in tracks] == ["KiAl1", "KaAd", "LP", "KiAl2"]
    assert len({t.color for t in tracks}) == 4


def test_blocks_go_in_their_coachs_track_and_overlap_only_within_it():
    tracks = tracks_for([(1, "Kim Alvarez"), (2, "Robin Ames"), (3, "Lee Park")])
    columns = week_columns(date(2026, 3, 4), tracks)
    assert min_column_width(columns) == max(MIN_COLUMN_WIDTH, 3 * MIN_TRACK_WIDTH)
    assert min_column_width(week_columns(date(2026, 3, 4))) == MIN_COLUMN_WIDTH
    same_time = [
        appt(1, local(2026, 3, 4, 9), staff_id=1),
        appt(2, local(2026, 3, 4, 9), staff_id=2),
        appt(3, local(2026, 3, 4, 9, 30), staff_id=2),  # double-booked Robin
    ]
    blocks = {b.appointment.id: b for b in layout_blocks(same_time, columns, HourRange(), NY)}
    assert {i: (b.track, b.lane, b.lanes) for i, b in blocks.items()} == {
        1: (0, 0, 1),
        2: (1, 0, 2),
        3: (1, 1, 2),
    }
    grid = Grid(7, HourRange(), width=7 * 300, gutter=0.0, lane_gap=0, tracks=3)
    assert grid.track_width == pytest.approx(100)
    kim, robin, robin_late = (grid.block_rect(blocks[i]) for i in (1, 2, 3))
    wednesday = grid.column_left(blocks[1].column)
    assert kim.x == pytest.approx(wednesday + 1)
    assert kim.width == pytest.approx(100)
    assert robin.x == pytest.approx(wednesday + 100 + 1)
    assert robin.width == pytest.approx(50)
    assert robin_late.x == pytest.approx(wednesday + 150 + 1)
    assert grid.track_at(wednesday + 10) == 0
    assert grid.track_at(wednesday + 299) == 2
    assert grid.track_at(wednesday + 150) == 1
