"""``desk staff hours ...`` and ``desk staff off ...``: a coach's weekly hours and time off.

Hours are the gym's wall-clock times, 24-hour: ``--set mon=9-13,14:00-18:00``
once per working day (days not given are days off); ``--clear`` removes them
all, and someone with no hours is available any time.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from desk.services.calendar.availability_words import WEEKDAYS, ranges_text, span_text
from desk.services.core.actor import command_line
from desk.services.core.ids import StaffId
from desk.services.people.availability_views import WeeklyRange

if TYPE_CHECKING:
    from desk.services.container import Services

_DAY_NAMES = {name[:3].lower(): n for n, name in enumerate(WEEKDAYS)}
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


class HoursUsageError(Exception):
    """Bad input to an hours command; the message is the one line to print."""


def add_hours_commands(actions: Any, command: Any) -> None:
    hours = command("hours", "show or set a staff member's weekly working hours", actions)
    hours.add_argument("staff", help="staff id, or their name")
    hours.add_argument(
        "--set", action="append", default=[], metavar="DAY=RANGES",
        help="a working day and its ranges, e.g. mon=9-13,14-18 (repeat per day; "
        "default: none, the hours are shown)",
    )  # fmt: skip
    hours.add_argument("--clear", action="store_true", help="no hours: available any time")
    off = command("off", "add time off (whole days, or hours of one day)", actions)
    off.add_argument("staff", help="staff id, or their name")
    off.add_argument("first", type=date.fromisoformat, help="first day, YYYY-MM-DD")
    off.add_argument("last", type=date.fromisoformat, nargs="?", help="last day (default: first)")
    off.add_argument("--hours", metavar="RANGE", help="only these hours of the day, e.g. 14-17")
    off.add_argument("--note", default="", help="why, e.g. Holiday (default: none)")


def _minute(text: str) -> int:
    found = _TIME.match(text.strip())
    if found is None:
        raise HoursUsageError(f"{text!r} is not a time like 9, 9:30 or 14:00")
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise HoursUsageError(f"{text!r} is not a time of day")
    return hour * 60 + minute


def _ranges(text: str) -> list[tuple[int, int]]:
    found = []
    for part in text.split(","):
        start, dash, end = part.partition("-")
        if not dash:
            raise HoursUsageError(f"{part!r} is not a range like 9-13")
        found.append((_minute(start), _minute(end)))
    return found


def staff_hours(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.cli_staff import find_staff

    person = find_staff(services, args.staff)
    staff_id = StaffId(person.id)
    if args.clear or args.set:
        weekly: list[WeeklyRange] = []
        for item in args.set:
            day, equals, ranges = item.partition("=")
            if not equals or day.strip().lower()[:3] not in _DAY_NAMES:
                raise HoursUsageError(f"{item!r}: write a day and ranges, like mon=9-13,14-18")
            n = _DAY_NAMES[day.strip().lower()[:3]]
            weekly += [WeeklyRange(n, lo, hi) for lo, hi in _ranges(ranges)]
        services.availability.set_weekly_hours(staff_id, weekly, actor=command_line())
    view = services.availability.hours(staff_id)
    if not view.keeps_hours:
        print(f"{view.staff_name} keeps no weekly hours: available any time.", file=out)
    for n, name in enumerate(WEEKDAYS):
        ranges = tuple((r.start_minute, r.end_minute) for r in view.weekly if r.weekday == n)
        if view.keeps_hours:
            print(f"{name:<10} {ranges_text(ranges) or 'off'}", file=out)
    for e in view.exceptions:
        what = "off" if e.kind == "off" else "extra shift"
        note = f" ({e.note})" if e.note else ""
        print(f"{what}: {span_text(e.starts_local, e.ends_local)}{note}", file=out)
    return 0


def staff_off(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.cli_staff import find_staff

    person = find_staff(services, args.staff)
    last: date = args.last or args.first
    if args.hours:
        ((lo, hi),) = _ranges(args.hours)
        start = datetime.combine(args.first, time()) + timedelta(minutes=lo)
        end = datetime.combine(last, time()) + timedelta(minutes=hi)
    else:
        start = datetime.combine(args.first, time())
        end = datetime.combine(last + timedelta(days=1), time())
    view = services.availability.add_exception(
        StaffId(person.id), kind="off", starts_local=start, ends_local=end, note=args.note,
        actor=command_line(),
    ).value  # fmt: skip
    print(f"{person.name} is off {span_text(view.starts_local, view.ends_local)}.", file=out)
    return 0


HOURS_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {
    ("staff", "hours"): staff_hours,
    ("staff", "off"): staff_off,
}
