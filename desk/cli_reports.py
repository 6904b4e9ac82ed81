"""``desk report NAME`` and ``desk statement MEMBER``: the reports and the member statement.

Without ``--csv`` or ``--pdf`` a report prints as a table; with ``--csv`` the same
table goes to the file (written safely, like the exports), with ``--pdf`` the
printed report (the gym's name, title, filters, chart and table) does. Bad input
(an unknown report, a bad date, a period that ends before it starts, an option
the report doesn't take) is one line and exit status 2, like argparse's own
errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_common import _table, lazy_choices
from desk.services.core.actor import command_line
from desk.services.core.ids import MemberId, StaffId

if TYPE_CHECKING:
    from desk.services.container import Services
    from desk.services.reports import tables
    from desk.services.reports.filters import ReportFilter
    from desk.services.reports.tables import ReportTable

USAGE_ERROR = 2


def __getattr__(name: str) -> Any:
    # ``REPORTS`` (the report names and the options each takes) as before, loaded on first
    # use: the parser imports this module for every command, `desk --version` too.
    if name == "REPORTS":
        from desk.services.reports.service import REPORTS

        return REPORTS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _report_names() -> list[str]:
    from desk.services.reports.service import REPORTS

    return sorted(REPORTS)


def _member_statuses() -> tuple[str, ...]:
    from desk.services.reports.filters import MEMBER_STATUSES

    return tuple(MEMBER_STATUSES)


class ReportUsageError(Exception):
    """Bad input to a report command; the message is the one line to print."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-31") from None


def add_report_commands(commands: Any, command: Any) -> None:
    """Add ``report`` and ``statement`` to the ``desk`` parser (see cli.build_parser)."""
    report = command("report", "print a report, or write it to a CSV file", commands)
    name = report.add_argument("name", metavar="NAME", help="one of: %(choices)s")
    lazy_choices(name, _report_names)
    report.add_argument(
        "--from",
        dest="first",
        type=_day,
        metavar="DATE",
        help="first day of the period (default: 30 days to --to)",
    )
    report.add_argument(
        "--to",
        dest="last",
        type=_day,
        metavar="DATE",
        help="last day of the period (default: today)",
    )
    report.add_argument(
        "--as-of",
        dest="as_of",
        type=_day,
        metavar="DATE",
        help="the day the report is of (default: today)",
    )
    report.add_argument("--days", type=int, help="expiring: how many days ahead (default 30)")
    report.add_argument(
        "--by",
        choices=("day", "week", "month"),
        help="sales: group by day, week or month (default day)",
    )
    report.add_argument("--type", metavar="NAME", help="only this appointment type")
    report.add_argument("--coach", type=int, metavar="STAFF_ID", help="only this coach")
    report.add_argument("--plan", metavar="NAME", help="only credits or money of this plan")
    report.add_argument("--package", metavar="NAME", help="only credits or money of this package")
    status = report.add_argument("--status", help="only members who are active, or archived")
    lazy_choices(status, _member_statuses)
    out = report.add_mutually_exclusive_group()
    out.add_argument("--csv", type=Path, metavar="FILE", help="write the table here")
    out.add_argument("--pdf", type=Path, metavar="FILE",
                     help="write the report (title, chart, table) here as a PDF")  # fmt: skip
    statement = command("statement", "write a member's statement as a PDF", commands)
    statement.add_argument("member", help="the member's id (42 or #42), email or external id")
    statement.add_argument("--pdf", type=Path, required=True, metavar="FILE",
                           help="where to write the PDF")  # fmt: skip


def _given(args: argparse.Namespace) -> set[str]:
    from desk.services.reports.filters import FILTER_OPTIONS

    given = set()
    if args.first is not None or args.last is not None:
        given.add("range")
    for option in ("as_of", "days", "by", *FILTER_OPTIONS):
        if getattr(args, option) is not None:
            given.add(option)
    return given


def _option_name(option: str) -> str:
    return _OPTION_NAMES.get(option, f"--{option}")  # a filter option: --type, --coach, ...


_OPTION_NAMES = {"range": "--from/--to", "as_of": "--as-of", "days": "--days", "by": "--by"}


def _named(kind: str, name: str, found: list[tuple[int, str]]) -> int:
    for key, text in found:
        if text.casefold() == name.strip().casefold():
            return key
    known = ", ".join(sorted(text for _, text in found)) or "none"
    raise ReportUsageError(f"there is no {kind} {name!r} (there are: {known})")


def report_filter(services: Services, args: argparse.Namespace) -> ReportFilter:
    """The filter the options name. Raises ReportUsageError for an unknown plan or
    package, NotFound for an unknown type."""
    from desk.services.reports.filters import ReportFilter

    catalog = services.catalog
    plan = package = None
    if args.plan is not None:
        plans = [(p.id, p.name) for p in catalog.plans(include_inactive=True)]
        plan = _named("plan", args.plan, plans)
    if args.package is not None:
        packages = [(p.id, p.name) for p in catalog.packages(include_inactive=True)]
        package = _named("package", args.package, packages)
    return ReportFilter(
        type_id=None if args.type is None else services.appointment_types.by_name(args.type).id,
        coach_id=None if args.coach is None else StaffId(args.coach),
        plan_id=plan,
        package_id=package,
        status=args.status,
    )


def filters_text(args: argparse.Namespace) -> str:
    """What the options narrow the report to, in words (the PDF's "Only:" line)."""
    parts = [
        f"{label} {value}"
        for label, value in (("type", args.type), ("coach #", args.coach), ("plan", args.plan),
                             ("package", args.package))
        if value is not None
    ]  # fmt: skip
    if args.status is not None:
        parts.append(f"{args.status} members")
    return "; ".join(p.replace("# ", "#") for p in parts)


def _period(services: Services, args: argparse.Namespace) -> tuple[date, date]:
    """The period the options give. Raises ReportUsageError for an option the report
    doesn't take, a period that ends before it starts or a bad window."""
    from desk.services.core.clock import today
    from desk.services.reports.service import REPORTS, default_first

    name = args.name
    extra = _given(args) - REPORTS[name]
    if extra:
        options = ", ".join(sorted(_option_name(o) for o in extra))
        raise ReportUsageError(f"the {name} report doesn't take {options}")
    last = args.last or today(services.clock)
    first = args.first or default_first(last)
    if first > last:
        raise ReportUsageError(f"--from {first} is after --to {last}")
    if args.days is not None and not 0 <= args.days <= 366:
        raise ReportUsageError("--days must be between 0 and 366")
    return first, last


def build_table(services: Services, args: argparse.Namespace) -> ReportTable:
    """The report ``args.name`` with the options given. Raises ReportUsageError
    for an option it doesn't take or a period that ends before it starts."""
    name = args.name
    first, last = _period(services, args)
    return services.reports.table(
        name, first=first, last=last, as_of=args.as_of, days=args.days, by=args.by,
        filters=report_filter(services, args), actor=command_line(),
    )  # fmt: skip


def report(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.records.exports import write_csv
    from desk.services.reports import tables

    try:
        if args.name == "coach-pay" and args.csv is not None:
            return _coach_pay_csv(services, args, out)
        table = build_table(services, args)
    except ReportUsageError as exc:
        print(f"desk: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args.pdf is not None:
        return _write_pdf(services, args, table, out)
    if args.csv is not None:
        count = write_csv(args.csv, table.header, tables.text_rows(table, services.clock.tz))
        print(f"{table.title}: {count} row(s) written to {args.csv}.", file=out)
        return 0
    print(table.title, file=out)
    print(file=out)
    _table(out, table.header, tables.text_rows(table, services.clock.tz),
           right=set(table.numeric))  # fmt: skip
    return 0


def _coach_pay_csv(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    """Coach pay with every session (the report lists one coach's first ones only),
    streamed from one read into the file: each coach's sessions, then their total."""
    from desk.services.records.exports import write_csv
    from desk.services.reports import tables

    first, last = _period(services, args)
    sessions = services.reports.coach_pay_sessions(
        first, last, filters=report_filter(services, args), actor=command_line()
    )
    tz = services.clock.tz

    def rows() -> Iterator[list[str]]:
        coach, count, pay, everyone = (0, ""), 0, 0, [0, 0]
        for staff_id, name, paid in sessions:
            if count and (staff_id, name) != coach:
                yield _text(tables.coach_total_row(coach[1], count, pay), tz)
                count = pay = 0
            coach, count, pay = (staff_id, name), count + 1, pay + paid.pay_cents
            everyone[0] += 1
            everyone[1] += paid.pay_cents
            yield _text(tables.paid_session_row(name, paid), tz)
        if count:
            yield _text(tables.coach_total_row(coach[1], count, pay), tz)
        yield _text(tables.coach_total_row("All coaches", *everyone), tz)

    count = write_csv(args.csv, tables.COACH_PAY_HEADER, rows())
    print(f"Coach pay {first.isoformat()} to {last.isoformat()}: {count} row(s) written to "
          f"{args.csv}.", file=out)  # fmt: skip
    return 0


def _text(row: tuple[tables.Cell, ...], tz: tzinfo) -> list[str]:
    from desk.services.reports import tables

    return [tables.text_of(cell, tz) for cell in row]


def _write_pdf(services: Services, args: argparse.Namespace, table: ReportTable,
               out: TextIO) -> int:  # fmt: skip
    # Qt draws the PDF; it loads only for this command (as desk/app.py does for the window).
    from desk.services.core.clock import today
    from desk.services.reports.service import default_first
    from desk.ui.reports.report_pdf import ReportPage, report_title, write_report_pdf

    now = today(services.clock)
    last = args.last or now
    title = report_title(
        args.name, first=args.first or default_first(last), last=last, as_of=args.as_of or now,
        days=30 if args.days is None else args.days,
    )  # fmt: skip
    page = ReportPage(services.settings.general().name, title, filters_text(args))
    pages = write_report_pdf(table, args.pdf, services.clock.tz, page)
    print(f"{title}: written to {args.pdf} ({pages} page{'s' if pages != 1 else ''}).",
          file=out)  # fmt: skip
    return 0


def statement(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    from desk.services.reports.statement import gather_statement

    gathered = gather_statement(services, MemberId(member.id))
    # Qt draws the PDF; it loads only for this command (as desk/app.py does for the window).
    from desk.ui.reports.statement_pdf import write_statement_pdf

    pages = write_statement_pdf(gathered, args.pdf, services.clock.tz)
    print(
        f"Statement of {gathered.member.full_name} written to {args.pdf} "
        f"({pages} page{'s' if pages != 1 else ''}).",
        file=out,
    )
    return 0


REPORT_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {
    ("report", None): report,
    ("statement", None): statement,
}
