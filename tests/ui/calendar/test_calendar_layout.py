"""Calendar geometry without widgets: heights, lanes, columns and clicks back to times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.ui.calendar.calendar_layout import (
    Column,
    Grid,
    HourRange,
    day_bounds,
    day_columns,
    drop_target,
    hours_to_show,
    layout_blocks,
    slot_at,
    wall_time,
    week_columns,
    week_start,
)

NY = ZoneInfo("America/New_York")


def appt(
    id: int,
    start: datetime,
    minutes: int = 60,
    *,
    staff_id: int = 1,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
) -> AppointmentView:
    return AppointmentView(
        id=id,
        member_id=100 + id,
        member_name=f"Member {id}",
        appointment_type_id=1,
        appointment_type="Personal Training",
        color="#3b82f6",
        staff_id=staff_id,
        staff_name=f"Coach {staff_id}",
        starts_at=start.astimezone(UTC),
        ends_at=(start + timedelta(minutes=minutes)).astimezone(UTC),
        status=status,
        lot_id=1,
        series_id=None,
        notes="",
    )


def local(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=NY)


def test_ten_oclock_sits_at_the_same_height_across_the_spring_forward_day():
    # Clocks jump from 02:00 to 03:00 on Sunday 8 March 2026 in New York.
    columns = week_columns(date(2026, 3, 8)) + week_columns(date(2026, 3, 9))
    sunday = appt(1, local(2026, 3, 8, 10))
    monday = appt(2, local(2026, 3, 9, 10))
    assert sunday.starts_at.hour == 14  # EDT already
    assert monday.starts_at.hour == 14
    blocks = {
        b.appointment.id: b for b in layout_blocks([sunday, monday], columns, HourRange(), NY)
    }
    assert blocks[1].top == pytest.approx(blocks[2].top)
    assert blocks[1].bottom == pytest.approx(blocks[2].bottom)
    assert blocks[1].top == pytest.approx(4 / 16)  # 10:00 on a 06:00-22:00 grid
    assert columns[blocks[1].column].day == date(2026, 3, 8)
    assert columns[blocks[2].column].day == date(2026, 3, 9)
    # And the same height as on an ordinary winter day an hour "earlier" in UTC.
    winter = appt(3, local(2026, 3, 4, 10))
    assert winter.starts_at.hour == 15
    (block,) = layout_blocks([winter], week_columns(date(2026, 3, 4)), HourRange(), NY)
    assert block.top == pytest.approx(blocks[1].top)


def test_a_click_on_each_side_of_the_change_gives_the_right_utc_time():
    columns = week_columns(date(2026, 3, 8))  # Mon 2 ... Sun 8 March
    grid = Grid(len(columns), HourRange(), width=56 + 7 * 100)
    y = grid.y_of_minute(10 * 60) + 5
    _, saturday = slot_at(grid, columns, grid.column_left(5) + 10, y, NY)
    _, sunday = slot_at(grid, columns, grid.column_left(6) + 10, y, NY)
    assert (saturday.hour, saturday.minute) == (10, 0)
    assert saturday.astimezone(UTC).hour == 15
    assert sunday.astimezone(UTC).hour == 14


def test_week_runs_monday_to_sunday_and_its_range_is_local_midnights():
    assert week_start(date(2026, 3, 4)) == date(2026, 3, 2)
    assert week_start(date(2026, 3, 2)) == date(2026, 3, 2)
    assert week_start(date(2026, 3, 8)) == date(2026, 3, 2)
    columns = week_columns(date(2026, 3, 8))
    assert [c.day for c in columns] == [date(2026, 3, 2) + timedelta(days=i) for i in range(7)]
    assert [c.title for c in columns][:2] == ["Mon", "Tue"]
    assert columns[0].subtitle == "2 Mar"
    assert all(c.staff_id is None for c in columns)
    start, end = day_bounds(date(2026, 3, 2), date(2026, 3, 8), NY)
    assert start == datetime(2026, 3, 2, 5, tzinfo=UTC)  # midnight EST
    assert end == datetime(2026, 3, 9, 4, tzinfo=UTC)  # midnight EDT: a 167-hour week
    assert end - start == timedelta(hours=167)


def test_day_view_puts_each_appointment_under_its_staff_member():
    columns = day_columns(date(2026, 3, 4), [(7, "Kim"), (9, "Lee")])
    assert [(c.staff_id, c.title) for c in columns] == [(7, "Kim"), (9, "Lee")]
    kim = appt(1, local(2026, 3, 4, 9), staff_id=7)
    lee = appt(2, local(2026, 3, 4, 9), staff_id=9)
    other_day = appt(3, local(2026, 3, 5, 9), staff_id=7)
    unknown_staff = appt(4, local(2026, 3, 4, 9), staff_id=11)
    blocks = layout_blocks([kim, lee, other_day, unknown_staff], columns, HourRange(), NY)
    placed = {b.appointment.id: b for b in blocks}
    assert set(placed) == {1, 2}
    assert placed[1].column == 0
    assert placed[2].column == 1
    # Same time, different staff: different columns, so no lanes needed.
    assert placed[1].lanes == placed[2].lanes == 1


def test_overlapping_blocks_share_a_column_in_lanes():
    columns = week_columns(date(2026, 3, 4))
    a = appt(1, local(2026, 3, 4, 9), 60, staff_id=1)
    b = appt(2, local(2026, 3, 4, 9, 30), 60, staff_id=2)
    c = appt(3, local(2026, 3, 4, 10, 15), 30, staff_id=3)  # overlaps b only
    d = appt(4, local(2026, 3, 4, 11, 30), 30, staff_id=1)  # alone: full width
    e = appt(5, local(2026, 3, 4, 12), 30, staff_id=1)  # touches d: not an overlap
    blocks = {x.appointment.id: x for x in layout_blocks([a, b, c, d, e], columns, HourRange(), NY)}
    assert (blocks[1].lane, blocks[1].lanes) == (0, 2)
    assert (blocks[2].lane, blocks[2].lanes) == (1, 2)
    assert (blocks[3].lane, blocks[3].lanes) == (0, 2)  # reuses the lane a freed
    assert (blocks[4].lane, blocks[4].lanes) == (0, 1)
    assert (blocks[5].lane, blocks[5].lanes) == (0, 1)
    grid = Grid(7, HourRange(), width=56 + 7 * 120, lane_gap=0)
    left, right = grid.block_rect(blocks[1]), grid.block_rect(blocks[2])
    assert left.x < right.x
    assert left.width == pytest.approx(right.width)
    assert left.width == pytest.approx(grid.column_width / 2 - 1, abs=1)
    assert grid.block_rect(blocks[4]).width == pytest.approx(grid.column_width - 1, abs=1)


def test_block_rect_and_click_are_inverses():
    columns = day_columns(date(2026, 3, 4), [(7, "Kim"), (9, "Lee")])
    grid = Grid(2, HourRange(), width=56 + 2 * 200)
    a = appt(1, local(2026, 3, 4, 14, 45), 45, staff_id=9)
    (block,) = layout_blocks([a], columns, HourRange(), NY)
    rect = grid.block_rect(block)
    assert rect.y == pytest.approx(grid.pad_top + 8.75 * 48 + 1)
    assert rect.height == pytest.approx(0.75 * 48 - 2)
    column, start = slot_at(grid, columns, rect.x + 5, rect.y + 2, NY)
    assert column == 1
    assert start == local(2026, 3, 4, 14, 45)
    assert columns[column].staff_id == 9


def test_clicks_snap_down_to_the_quarter_hour_and_miss_outside_the_grid():
    columns = day_columns(date(2026, 3, 4), [(7, "Kim")])
    grid = Grid(1, HourRange(6, 22), width=300)
    ten = grid.y_of_minute(600)
    x = grid.gutter + 10
    assert slot_at(grid, columns, x, ten + 0.1, NY)[1] == local(2026, 3, 4, 10, 0)
    assert slot_at(grid, columns, x, ten + 11.9, NY)[1] == local(2026, 3, 4, 10, 0)
    assert slot_at(grid, columns, x, ten + 12.1, NY)[1] == local(2026, 3, 4, 10, 15)
    assert slot_at(grid, columns, x, ten + 47.9, NY)[1] == local(2026, 3, 4, 10, 45)
    assert slot_at(grid, columns, grid.gutter - 1, ten, NY) is None  # the hour labels
    assert slot_at(grid, columns, x, grid.pad_top - 1, NY) is None
    assert slot_at(grid, columns, x, grid.y_at(1.0), NY) is None  # 22:00 and later
    assert slot_at(grid, columns, 10_000, ten, NY) is None


def test_hours_widen_so_that_no_appointment_falls_off_the_grid():
    days = [date(2026, 3, 4)]
    assert hours_to_show([], days, NY) == HourRange(6, 22)
    early = appt(1, local(2026, 3, 4, 5, 30))
    late = appt(2, local(2026, 3, 4, 21, 30), 60)
    assert hours_to_show([early, late], days, NY) == HourRange(5, 23)
    other_day = appt(3, local(2026, 3, 5, 4))
    assert hours_to_show([other_day], days, NY) == HourRange(6, 22)
    overnight = appt(4, local(2026, 3, 4, 23), 120)
    assert hours_to_show([overnight], days, NY) == HourRange(6, 24)
    assert hours_to_show([overnight], [date(2026, 3, 5)], NY) == HourRange(0, 22)


def test_an_appointment_across_midnight_shows_on_both_days_cut_at_the_edges():
    columns = week_columns(date(2026, 3, 4))
    overnight = appt(1, local(2026, 3, 4, 23), 120)
    blocks = layout_blocks([overnight], columns, HourRange(0, 24), NY)
    assert [(columns[b.column].day, b.top, b.bottom) for b in blocks] == [
        (date(2026, 3, 4), pytest.approx(23 / 24), 1.0),
        (date(2026, 3, 5), 0.0, pytest.approx(1 / 24)),
    ]
    assert blocks[0].continues_after
    assert blocks[1].continues_before


def test_dragging_a_block_moves_it_by_whole_quarter_hours_into_the_target_column():
    columns = day_columns(date(2026, 3, 4), [(7, "Kim"), (9, "Lee")])
    grid = Grid(2, HourRange(), width=56 + 2 * 200)
    (block,) = layout_blocks([appt(1, local(2026, 3, 4, 10), staff_id=7)], columns, grid.hours, NY)
    # 80 px down is 100 minutes: rounds to 1 h 45 min later; dropped on Lee's column.
    column, start = drop_target(grid, columns, block, 80, grid.column_left(1) + 5, NY)
    assert (column, start) == (1, local(2026, 3, 4, 11, 45))
    # Dragged far above the grid: kept at the first visible slot.
    assert drop_target(grid, columns, block, -2000, grid.column_left(0) + 5, NY) == (
        0,
        local(2026, 3, 4, 6),
    )
    assert drop_target(grid, columns, block, 0, 5, NY) is None  # on the hour labels


def test_a_time_that_does_not_exist_lands_on_one_that_does():
    gap = wall_time(date(2026, 3, 8), 2 * 60 + 30, NY)
    assert (gap.hour, gap.minute) == (3, 30)
    assert gap.utcoffset() == timedelta(hours=-4)
    assert wall_time(date(2026, 3, 9), 600, NY) == local(2026, 3, 9, 10)


def test_a_very_short_or_backwards_block_still_gets_a_visible_height():
    columns = [Column(date(2026, 3, 4), None, "Wed")]
    tiny = appt(1, local(2026, 3, 4, 10), 5)
    (block,) = layout_blocks([tiny], columns, HourRange(), NY)
    assert block.bottom - block.top == pytest.approx(15 / (16 * 60))
    at_the_end = appt(2, local(2026, 3, 4, 21, 55), 5)
    (block,) = layout_blocks([at_the_end], columns, HourRange(), NY)
    assert block.bottom == pytest.approx(1.0)


def test_bad_hour_ranges_are_refused():
    with pytest.raises(ValueError, match="bad hour range"):
        HourRange(22, 6)
    with pytest.raises(ValueError, match="bad hour range"):
        HourRange(0, 25)
