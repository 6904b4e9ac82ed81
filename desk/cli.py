"""The ``desk`` command: launch the app, or work on the database from a terminal."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_appointment_errors import AppointmentUsageError
from desk.cli_appointments import APPOINTMENT_HANDLERS
from desk.cli_common import UsageError, _fail, _parse_date, _table
from desk.cli_fees import FEE_HANDLERS
from desk.cli_holds import HOLD_HANDLERS
from desk.cli_parser import build_parser
from desk.cli_pools import POOL_HANDLERS
from desk.cli_reports import REPORT_HANDLERS
from desk.cli_staff import STAFF_HANDLERS, StaffUsageError
from desk.cli_staff_hours import HoursUsageError
from desk.services.core.actor import command_line
from desk.services.core.errors import DeskError

if TYPE_CHECKING:
    from desk.services.container import Services

# What loads here is only what every command needs (the parser, the usage errors), so
# `desk --version` and `--help` load nothing of the database layer. SQLAlchemy, the
# models and the services load once a command needs the database, a command's own
# module when it runs (_HANDLERS); Qt only for the window and the PDFs.
# tests/cli/test_cli_imports.py keeps it so.

__all__ = ["build_parser", "has_display", "main"]

# "20 of N shown" counts matches up to this many; past it, "more than ...".
SEARCH_COUNT_CAP = 500


def __getattr__(name: str) -> Any:
    # desk.cli.Services, imported on first use (tests swap it for one on a fixed clock).
    if name == "Services":
        from desk.services.container import Services

        return Services
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``desk`` console script; returns the exit status."""
    try:
        status = _main(argv)
        sys.stdout.flush()  # inside the try: a reader that left fails here, not at exit
        return status
    except BrokenPipeError:
        # The reader went away (`desk ... | head`): nothing left to say to it. Point
        # stdout at /dev/null so the interpreter's final flush doesn't fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("desk: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    import logging

    from desk.paths import explicit_database_url, resolve_database_url

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.self_test:
        from desk.self_test import run_self_test  # Qt, and never the user's own files

        return run_self_test()
    url = resolve_database_url(args.database)
    try:
        new_file = _new_database_file(explicit_database_url(args.database), args)
    except UsageError as exc:
        return _fail(str(exc))
    if args.command is None:
        if not has_display():
            return _fail(
                "the Desk window needs a desktop session (no DISPLAY or WAYLAND_DISPLAY is "
                "set here); the commands in 'desk --help' work without one"
            )
        from desk.app import run  # Qt loads only when the window is wanted.

        return run(url, announce=lambda: _announce(new_file))
    if args.command == "restore":
        from desk.cli_files import _restore

        # Not through open_database: the file being replaced may be too damaged to open.
        return _restore(url, args.file, sys.stdout)
    handler = _handler((args.command, getattr(args, "action", None)))
    from desk.db import DatabaseError, open_database
    from desk.services.records import backups

    try:
        db = open_database(url)
    except DatabaseError as exc:
        return _fail(str(exc))
    _announce(new_file)
    backups.start_up_backup(db)
    try:
        # Looked up on the module, not imported above: a test may have replaced it.
        services_type: type[Services] = sys.modules[__name__].Services
        return handler(services_type.build(db), args, sys.stdout)
    except (DeskError, UsageError, StaffUsageError, HoursUsageError, AppointmentUsageError) as exc:
        return _fail(exc.message if isinstance(exc, DeskError) else str(exc))
    finally:
        db.dispose()


def _new_database_file(url: str | None, args: argparse.Namespace) -> Path | None:
    """The SQLite file about to be created for a named URL, or None if it exists.

    A mistyped --database would otherwise quietly make an empty gym (its folders,
    the file and a backups folder). ``demo`` starts one on purpose and says so;
    everything else needs --create (UsageError). The local default file is
    created on first run without asking.
    """
    if url is None or args.command == "restore":
        return None
    from desk.db import Database, DatabaseError

    try:
        path = Database(url).sqlite_path
    except DatabaseError as exc:
        raise UsageError(str(exc)) from None
    if path is None or path.exists():
        return None
    if args.command == "demo" or args.create:
        return path
    raise UsageError(
        f"there is no Desk database at {path}; check the path, or add --create to start "
        "a new, empty one there"
    )


def _announce(new_file: Path | None) -> None:
    if new_file is not None:
        print(f"desk: created a new, empty Desk database at {new_file}", file=sys.stderr)


def has_display() -> bool:
    """Whether a window can be shown: always on Windows and macOS; on Linux only in a
    desktop session or with a Qt platform chosen on purpose (offscreen, for tests)."""
    if not sys.platform.startswith("linux"):
        return True
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if chosen and chosen not in ("xcb", "wayland"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# --- commands ----------------------------------------------------------------------------


def _demo(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.records.demo import DemoGenerator

    started = time.perf_counter()
    interactive = out.isatty()

    def progress(done: int, total: int) -> None:
        if interactive:
            print(f"\r  {done:,} / {total:,} members", end="", file=out, flush=True)

    summary = DemoGenerator(services.db, services.clock).generate(
        members=args.members, seed=args.seed, progress=progress
    )
    if interactive:
        print(file=out)
    seconds = time.perf_counter() - started
    print(
        f"Demo gym written to {services.db.describe()} in {seconds:.1f} s: "
        f"{summary.members:,} members, {summary.staff} staff, "
        f"{summary.appointment_types} appointment types, {summary.lots:,} credit lots, "
        f"{summary.appointments:,} appointments, {summary.entries:,} ledger entries.",
        file=out,
    )
    return 0


def _search(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    if not 1 <= args.limit <= 500:
        raise UsageError("--limit must be between 1 and 500")
    # Ask for more than will be shown, to say how many were left out.
    found = services.members.search(args.text, SEARCH_COUNT_CAP + 1)
    matches = found[: args.limit]
    if not matches:
        print(f"No member matches {args.text!r}.", file=out)
        return 0
    _table(
        out,
        ("ID", "Name", "Email", "Phone", "Status", "Open credits"),
        [
            (
                str(m.id),
                m.full_name,
                m.email or "",
                m.phone or "",
                m.status.value,
                str(m.open_credits),
            )
            for m in matches
        ],
        right={0, 5},
    )
    if len(found) > len(matches):
        total = f"more than {SEARCH_COUNT_CAP}" if len(found) > SEARCH_COUNT_CAP else len(found)
        print(f"{len(matches)} of {total} shown (--limit N shows more).", file=out)
    return 0


def _check(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.records import backups

    problems = [f"database file: {p}" for p in backups.integrity_problems(services.db)]
    problems += services.credits.verify_ledger()
    if problems:
        for problem in problems:
            print(f"  {problem}", file=out)
        print(f"{len(problems)} problem(s) in {services.db.describe()}.", file=out)
        return 1
    print(f"{services.db.describe()}: every credit lot agrees with its ledger.", file=out)
    return 0


def _billing_run(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.core.money import format_money

    through = _parse_date(args.through, "--through")
    report = services.sales.run_billing(through=through, actor=command_line()).value
    if not report.periods_billed:
        print(f"Nothing to bill through {through.isoformat()}: every period is billed.", file=out)
        return 0
    print(
        f"Billed {report.periods_billed} period(s) for {len(report.members)} member(s) through "
        f"{through.isoformat()}: {report.lots_granted} credit lot(s) granted, "
        f"{format_money(report.charged_cents)} charged.",
        file=out,
    )
    return 0


def _billing_end_plan(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.core.money import format_money
    from desk.services.selling.plan_end import BookingsAtEnd, CreditsAtEnd

    ends_on = _parse_date(args.on, "--on")
    credits, bookings = CreditsAtEnd(args.credits), BookingsAtEnd(args.bookings)
    if args.yes:
        end = services.sales.end_plan(
            args.subscription, ends_on=ends_on, credits=credits, bookings=bookings,
            actor=command_line(),
        ).value  # fmt: skip
    else:
        end = services.sales.preview_end_plan(
            args.subscription, ends_on=ends_on, credits=credits, bookings=bookings
        )
    print(f"{'Ended' if args.yes else 'Would end'} {end.plan_name} on {ends_on.isoformat()}:",
          file=out)  # fmt: skip
    for lot in end.lots:
        print(f"  lot #{lot.lot_id} {lot.appointment_type}: {lot.open_credits} open credit(s), "
              f"worth {format_money(lot.refund_cents)}", file=out)  # fmt: skip
    print(f"  credits: {credits.value} ({end.credits_removed} removed, "
          f"{format_money(end.refund_cents)} refunded); bookings after the end: "
          f"{len(end.bookings_after_end)}, {end.bookings_cancelled} cancelled",
          file=out)  # fmt: skip
    if not args.yes:
        print("Nothing changed; add --yes to end the plan.", file=out)
    return 0


_Handler = Callable[["Services", argparse.Namespace, TextIO], int]
# A handler, or "module:function" for one whose module loads only when its command runs.
_HANDLERS: dict[tuple[str, str | None], _Handler | str] = {
    ("demo", None): _demo,
    ("members", "search"): _search,
    ("credits", "show"): "desk.cli_credits:_show",
    ("credits", "add"): "desk.cli_credits:_add",
    ("credits", "adjust"): "desk.cli_credits:_adjust",
    ("credits", "expire"): "desk.cli_credits:_expire",
    ("credits", "extend"): "desk.cli_credit_life:_extend",
    ("credits", "transfer"): "desk.cli_credit_life:_transfer",
    ("credits", "undo"): "desk.cli_credit_life:_undo",
    ("members", "merge"): "desk.cli_credit_life:_merge",
    ("check", None): _check,
    ("backup", None): "desk.cli_files:_backup",
    ("billing", "run"): _billing_run,
    ("billing", "end-plan"): _billing_end_plan,
    ("import", "members"): "desk.cli_files:_import",
    ("import", "credits"): "desk.cli_files:_import",
    ("import", "appointments"): "desk.cli_files:_import",
    ("import", "list"): "desk.cli_files:_import_list",
    ("import", "undo"): "desk.cli_files:_import_undo",
    ("export", "members"): "desk.cli_files:_export",
    ("export", "credits"): "desk.cli_files:_export",
    ("export", "appointments"): "desk.cli_files:_export",
    **STAFF_HANDLERS,
    **APPOINTMENT_HANDLERS,
    **FEE_HANDLERS,
    **REPORT_HANDLERS,
    **HOLD_HANDLERS,
    **POOL_HANDLERS,
}


def _handler(key: tuple[str, str | None]) -> _Handler:
    found = _HANDLERS[key]
    if not isinstance(found, str):
        return found
    module, _, name = found.partition(":")
    handler: _Handler = getattr(importlib.import_module(module), name)
    return handler


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
