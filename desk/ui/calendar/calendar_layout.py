"""Where things sit on the calendar: pure geometry, no Qt.

The canvas only paints what this module computed, so the arithmetic that is
easy to get wrong (daylight-saving days, overlapping sessions, a click between
two quarter hours) is tested without a widget. Heights come from the gym's
local wall clock, not from elapsed time: 10:00 sits at the same height on the
day the clocks change as on any other day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple

from desk.services.core.read_models import AppointmentView
from desk.ui.calendar.calendar_tracks import Track
from desk.ui.widgets.formatting import format_day_month, format_weekday, week_start

SLOT_MINUTES = 15
"""Clicks and drops snap to quarter hours, the grain front desks book in."""

MINUTES_PER_DAY = 24 * 60

HOUR_HEIGHT = 48.0
"""Pixels per hour: a 45-minute session still has room for two lines of text."""
GUTTER = 64.0
"""The time column's width; it stays put while the grid scrolls sideways."""
MIN_COLUMN_WIDTH = 108.0
"""Eight coaches fit a 1280-pixel-wide window side by side in the day view."""
MIN_TRACK_WIDTH = 32.0
"""The narrowest a coach's track in the week view gets: room for a member's initials."""
HEADER_HEIGHT = 46
TRACK_LABEL_HEIGHT = 20
"""The row of coach labels under the day titles of a week view with tracks."""


@dataclass(frozen=True)
class HourRange:
    """The hours drawn top to bottom, e.g. 06:00 to 22:00 (``last`` exclusive)."""

    first: int = 6
    last: int = 22

    def __post_init__(self) -> None:
        if not 0 <= self.first < self.last <= 24:
            raise ValueError(f"bad hour range {self.first}-{self.last}")

    @property
    def minutes(self) -> int:
        return (self.last - self.first) * 60

    def fraction(self, minute_of_day: float) -> float:
        """0.0 at the top of the first hour, 1.0 at the end of the last (not clipped)."""
        return (minute_of_day - self.first * 60) / self.minutes


@dataclass(frozen=True)
class Column:
    """One column of the grid: a day, and in the day view one staff member."""

    day: date
    staff_id: int | None
    """The staff member of a day-view column; None in the week view (everyone)."""
    title: str
    subtitle: str = ""
    tracks: tuple[Track, ...] = ()
    """The week view with every coach: one track per coach, side by side."""


@dataclass(frozen=True)
class Block:
    """An appointment placed in a column, as fractions of the visible hours."""

    appointment: AppointmentView
    column: int
    top: float
    bottom: float
    lane: int = 0
    lanes: int = 1
    """Overlapping blocks in a column (or track) share its width side by side."""
    track: int = 0
    """The coach's track of a week-view column with tracks (0 without)."""
    continues_before: bool = False
    """It started before the first visible minute of this column (or the day before)."""
    continues_after: bool = False


def day_columns(day: date, staff: Sequence[tuple[int, str]]) -> list[Column]:
    """The day view: one column per staff member, in the order given."""
    return [Column(day=day, staff_id=staff_id, title=name) for staff_id, name in staff]


def week_columns(day: date, tracks: Sequence[Track] = ()) -> list[Column]:
    """The week view: ``day``'s week, from the locale's first day of the week, each
    day divided into ``tracks`` (none: the whole day is one column)."""
    first = week_start(day)
    days = [first + timedelta(days=i) for i in range(7)]
    return [
        Column(
            day=d,
            staff_id=None,
            title=format_weekday(d),
            subtitle=format_day_month(d),
            tracks=tuple(tracks),
        )
        for d in days
    ]


def min_column_width(columns: Sequence[Column]) -> float:
    """How narrow a column may get before the grid scrolls sideways instead."""
    tracks = max((len(c.tracks) for c in columns), default=0)
    return max(MIN_COLUMN_WIDTH, tracks * MIN_TRACK_WIDTH)


def day_bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """UTC start and end of the local days ``first`` to ``last`` (inclusive).

    Each bound is a local midnight of its own date, so a week that crosses a
    daylight-saving change still starts and ends at midnight on the wall clock.
    """
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    after = last + timedelta(days=1)
    end = datetime(after.year, after.month, after.day, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def minute_of_day(moment: datetime, day: date, tz: tzinfo) -> int:
    """Wall-clock minutes of ``moment`` counted from local midnight of ``day``.

    Negative before that day, beyond 1440 after it; the wall clock (not elapsed
    time) is what keeps DST days aligned with ordinary ones.
    """
    local = moment.astimezone(tz)
    return (local.date() - day).days * MINUTES_PER_DAY + local.hour * 60 + local.minute


def wall_time(day: date, minute: int, tz: tzinfo) -> datetime:
    """The local moment ``minute`` minutes of wall clock after midnight of ``day``.

    A time that doesn't exist (02:30 on the spring-forward day) is carried
    through UTC, which lands it an hour later, on a time that does exist.
    """
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def hours_to_show(
    appointments: Iterable[AppointmentView],
    days: Iterable[date],
    tz: tzinfo,
    default: HourRange = HourRange(),
) -> HourRange:
    """``default`` widened so that no appointment on ``days`` falls off the grid.

    A 05:30 session on a 06:00-22:00 calendar would otherwise be invisible;
    a front desk can't trust a calendar that hides bookings.
    """
    shown = set(days)
    first, last = default.first, default.last
    for appt in appointments:
        for day in _days_touched(appt, tz):
            if day not in shown:
                continue
            start = max(minute_of_day(appt.starts_at, day, tz), 0)
            end = min(minute_of_day(appt.ends_at, day, tz), MINUTES_PER_DAY)
            first = min(first, start // 60)
            last = max(last, -(-end // 60))
    return HourRange(first, max(last, first + 1))


def _days_touched(appt: AppointmentView, tz: tzinfo) -> list[date]:
    first = appt.starts_at.astimezone(tz).date()
    # An appointment ending exactly at midnight doesn't touch the next day.
    last = (appt.ends_at.astimezone(tz) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=i) for i in range(max((last - first).days, 0) + 1)]


def layout_blocks(
    appointments: Iterable[AppointmentView],
    columns: Sequence[Column],
    hours: HourRange,
    tz: tzinfo,
) -> list[Block]:
    """Place each appointment in every column it belongs to, lanes assigned.

    A day-view column takes the appointments of its staff member on its day,
    a week-view column every appointment of its day. An appointment crossing
    midnight is drawn in both days, cut at the edges. Computed once when the
    data changes, never while painting.
    """
    by_day: dict[date, list[tuple[int, int | None]]] = defaultdict(list)
    for index, column in enumerate(columns):
        by_day[column.day].append((index, column.staff_id))
    track_of = [{t.staff_id: i for i, t in enumerate(c.tracks)} for c in columns]
    min_height = SLOT_MINUTES / hours.minutes
    blocks: list[Block] = []
    for appt in appointments:
        for day in _days_touched(appt, tz):
            targets = [i for i, staff in by_day.get(day, ()) if staff in (None, appt.staff_id)]
            if not targets:
                continue
            start = minute_of_day(appt.starts_at, day, tz)
            end = minute_of_day(appt.ends_at, day, tz)
            top = min(max(hours.fraction(start), 0.0), 1.0)
            bottom = min(max(hours.fraction(end), 0.0), 1.0)
            if bottom - top < min_height:
                # Very short, or the wall clock went back (fall-back night).
                top = min(top, 1.0 - min_height)
                bottom = top + min_height
            for index in targets:
                blocks.append(
                    Block(
                        appointment=appt,
                        column=index,
                        top=top,
                        bottom=bottom,
                        continues_before=start < hours.first * 60,
                        continues_after=end > hours.last * 60,
                        track=track_of[index].get(appt.staff_id, 0),
                    )
                )
    return assign_lanes(blocks)


def assign_lanes(blocks: Iterable[Block]) -> list[Block]:
    """Give overlapping blocks of a column (of a coach's track in it) side-by-side lanes.

    Blocks that overlap, directly or through a chain, form a cluster; each takes
    the first lane free at its top, and the cluster's blocks all divide the
    column by the number of lanes it needed. Blocks that merely touch (one ends
    when the next starts) don't overlap.
    """
    per_column: dict[tuple[int, int], list[Block]] = defaultdict(list)
    for block in blocks:
        per_column[block.column, block.track].append(block)
    placed: list[Block] = []
    for column_blocks in per_column.values():
        column_blocks.sort(key=lambda b: (b.top, -b.bottom, b.appointment.id))
        cluster: list[tuple[Block, int]] = []
        lane_ends: list[float] = []
        cluster_end = -1.0
        for block in column_blocks:
            if cluster and block.top >= cluster_end:
                placed.extend(_finish(cluster, len(lane_ends)))
                cluster, lane_ends, cluster_end = [], [], -1.0
            lane = next((i for i, end in enumerate(lane_ends) if end <= block.top), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(block.bottom)
            else:
                lane_ends[lane] = block.bottom
            cluster.append((block, lane))
            cluster_end = max(cluster_end, block.bottom)
        placed.extend(_finish(cluster, len(lane_ends)))
    return placed


def _finish(cluster: list[tuple[Block, int]], lanes: int) -> list[Block]:
    return [replace(block, lane=lane, lanes=max(lanes, 1)) for block, lane in cluster]


class Rect(NamedTuple):
    x: float
    y: float
    width: float
    height: float

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x < self.x + self.width and self.y <= y < self.y + self.height


@dataclass(frozen=True)
class Grid:
    """Pixel geometry of the canvas: a time gutter on the left, columns after it."""

    columns: int
    hours: HourRange
    width: float
    hour_height: float = 48.0
    gutter: float = 56.0
    """Room for the hour labels."""
    pad_top: float = 10.0
    """Room above the first hour line, so its label isn't cut in half."""
    pad_bottom: float = 10.0
    lane_gap: float = 2.0
    tracks: int = 1
    """Coach tracks per column (the week view with every coach); 1 without."""

    @property
    def height(self) -> float:
        return self.pad_top + self.hours.minutes / 60 * self.hour_height + self.pad_bottom

    @property
    def column_width(self) -> float:
        return max(self.width - self.gutter, 0.0) / max(self.columns, 1)

    def column_left(self, index: int) -> float:
        return self.gutter + index * self.column_width

    @property
    def track_width(self) -> float:
        return self.column_width / max(self.tracks, 1)

    def track_left(self, column: int, track: int) -> float:
        return self.column_left(column) + track * self.track_width

    def track_at(self, x: float) -> int:
        """The track of its column under ``x`` (0 outside the columns)."""
        column = self.column_at(x)
        if column is None or self.track_width <= 0:
            return 0
        return min(int((x - self.column_left(column)) // self.track_width), self.tracks - 1)

    def y_at(self, fraction: float) -> float:
        return self.pad_top + fraction * self.hours.minutes / 60 * self.hour_height

    def y_of_minute(self, minute: float) -> float:
        return self.y_at(self.hours.fraction(minute))

    def block_rect(self, block: Block) -> Rect:
        """The block's rectangle, its lane's share of its track, inset by a hair."""
        lane_width = self.track_width / block.lanes
        x = self.track_left(block.column, block.track) + block.lane * lane_width + 1
        y = self.y_at(block.top) + 1
        width = max(lane_width - self.lane_gap, 2.0)
        height = max(self.y_at(block.bottom) - self.y_at(block.top) - 2, 2.0)
        return Rect(x, y, width, height)

    def column_at(self, x: float) -> int | None:
        if x < self.gutter or self.columns == 0 or self.column_width <= 0:
            return None
        index = int((x - self.gutter) // self.column_width)
        return index if index < self.columns else None

    def minute_at(self, y: float) -> float | None:
        """Minute of the day under ``y`` (unsnapped), None outside the hours."""
        bottom = self.y_at(1.0)
        if y < self.pad_top or y >= bottom:
            return None
        return self.hours.first * 60 + (y - self.pad_top) / self.hour_height * 60

    def slot_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(column, minute of day) of the quarter hour under a point, or None."""
        column = self.column_at(x)
        minute = self.minute_at(y)
        if column is None or minute is None:
            return None
        return column, int(minute // SLOT_MINUTES) * SLOT_MINUTES

    def slot_rect(self, column: int, minute: int) -> Rect:
        y = self.y_of_minute(minute)
        return Rect(
            self.column_left(column),
            y,
            self.column_width,
            self.y_of_minute(minute + SLOT_MINUTES) - y,
        )


def slot_at(
    grid: Grid, columns: Sequence[Column], x: float, y: float, tz: tzinfo
) -> tuple[int, datetime] | None:
    """The inverse of drawing: a point -> (column, local start of its quarter hour)."""
    hit = grid.slot_at(x, y)
    if hit is None or hit[0] >= len(columns):
        return None
    column, minute = hit
    return column, wall_time(columns[column].day, minute, tz)


def drop_target(
    grid: Grid,
    columns: Sequence[Column],
    block: Block,
    dy: float,
    x: float,
    tz: tzinfo,
) -> tuple[int, datetime] | None:
    """Where a block dragged by ``dy`` pixels and released at ``x`` would start.

    The block keeps the offset at which it was grabbed: moving the pointer 48 px
    down moves the session an hour later, rounded to the nearest quarter hour
    and kept inside the visible hours. None when released outside the columns.
    """
    column = grid.column_at(x)
    if column is None or column >= len(columns):
        return None
    start = minute_of_day(block.appointment.starts_at, columns[block.column].day, tz)
    moved = start + dy / grid.hour_height * 60
    snapped = round(moved / SLOT_MINUTES) * SLOT_MINUTES
    lowest = grid.hours.first * 60
    highest = grid.hours.last * 60 - SLOT_MINUTES
    snapped = min(max(snapped, lowest), highest)
    return column, wall_time(columns[column].day, snapped, tz)
