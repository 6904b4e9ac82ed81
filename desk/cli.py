"""The ``desk`` command: launch the app, or work on the database from a terminal."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

from desk import __version__
from desk.cli_appointments import (
    APPOINTMENT_HANDLERS,
    AppointmentUsageError,
    add_appointment_commands,
)
from desk.cli_staff import STAFF_HANDLERS, StaffUsageError, add_staff_commands
from desk.db import Database, DatabaseError, open_database
from desk.paths import (
    DATABASE_URL_ENV,
    default_database_path,
    explicit_database_url,
    resolve_database_url,
)
from desk.services.container import Services
from desk.services.core.actor import command_line
from desk.services.core.errors import DeskError, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.money import format_money, parse_money
from desk.services.core.read_models import LotSource, LotView
from desk.services.importing.csv_file import text_encoding
from desk.services.importing.report import ImportOptions, ImportReport, Remedy
from desk.services.records import backup_files, backups
from desk.services.records.backup_service import BackupService
from desk.services.records.demo import DemoGenerator

log = logging.getLogger("desk")
# "20 of N shown" counts matches up to this many; past it, "more than ...".
SEARCH_COUNT_CAP = 500


class UsageError(Exception):
    """Bad command-line input; the message says which argument and why."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage dump: staff read this, not developers.
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _encoding(text: str) -> str:
    # Judged before the file is read, like a bad number: argparse's one line, status 2.
    try:
        return text_encoding(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _database_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Given on a subcommand, it must not be overwritten by the top level's default.
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None if top else argparse.SUPPRESS,
        help=f"SQLAlchemy URL of the database (default: ${DATABASE_URL_ENV} or the local file)",
    )
    parser.add_argument(
        "--create",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="start a new, empty database when --database names a file that doesn't exist "
        "(default: refuse, so a mistyped path doesn't silently make an empty gym)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="desk",
        description="Desk: the front desk of your gym. Plain 'desk' opens the window; the "
        "commands below work on the database from a terminal.",
        epilog=f"The local database is {default_database_path()} unless --database or "
        f"${DATABASE_URL_ENV} names another (a SQLite file or a PostgreSQL server URL).",
    )
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start the app on a throw-away demo database, drive it, print each step, exit "
        "(0 when all is well)",
    )
    _database_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str, help_text: str, parent: argparse._SubParsersAction[_Parser] = commands
    ) -> _Parser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        _database_option(sub, top=False)
        return sub

    demo = command("demo", "fill an empty database with a believable demo gym")
    demo.add_argument("--members", type=int, default=200, help="how many members (default 200)")
    demo.add_argument(
        "--seed", type=int, default=1, help="the same seed gives the same gym (default 1)"
    )

    members = commands.add_parser("members", help="find members").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    search = command("search", "search members by any part of name, email or phone", members)
    search.add_argument("text", help="part of a name, an email or a phone number")
    search.add_argument("--limit", type=int, default=20, help="show at most N (default 20)")

    credits = commands.add_parser(
        "credits", help="see and manage appointment credits"
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    show = command("show", "a member's balance per appointment type and their lots", credits)
    show.add_argument("member", help="member id, email or external id")
    show.add_argument("--all", action="store_true", help="include expired and used-up lots")

    add = command("add", "add credits to a member (the help center's 'Add Credits')", credits)
    add.add_argument("member", help="member id, email or external id")
    add.add_argument("--type", required=True, help="appointment type name")
    add.add_argument("--quantity", required=True, type=int, help="how many credits (1-1000)")
    add.add_argument("--expires", help="expiry date YYYY-MM-DD (default: never)")
    add.add_argument("--price", default="0", help="amount paid, e.g. 120.00 (default: 0, free)")
    add.add_argument(
        "--source",
        default=LotSource.MANUAL.value,
        choices=[s.value for s in LotSource],
        help="where the credits come from (default: manual)",
    )
    add.add_argument(
        "--note", default="", help="why, e.g. 'moved from the old system' (default: none)"
    )

    adjust = command("adjust", "correct a member's open credits, with a reason", credits)
    adjust.add_argument("member", help="member id, email or external id")
    adjust.add_argument("--type", required=True, help="appointment type name")
    adjust.add_argument("--by", required=True, dest="delta", help="change, e.g. +2 or -1")
    adjust.add_argument("--reason", required=True, help="why the credits change (required)")

    command("expire", "write off credits on lots past their expiry date", credits)

    imports = commands.add_parser("import", help="bring members and credits in from a CSV file")
    import_actions = imports.add_subparsers(
        dest="action", metavar="WHAT", required=True, parser_class=_Parser
    )
    for what, text in (
        ("members", "add the members of a CSV export"),
        ("credits", "add outstanding credits from a CSV export (lots with source migration)"),
    ):
        sub = command(what, text, import_actions)
        sub.add_argument("file", type=Path, help="the CSV file to read")
        sub.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        sub.add_argument(
            "--map", action="append", default=[], metavar="SOURCE_COLUMN=FIELD",
            help="read FIELD from SOURCE_COLUMN (repeatable); FIELD 'ignore' skips a column "
            "(default: columns matched by their headers)",
        )  # fmt: skip
        sub.add_argument(
            "--encoding", type=_encoding, help="the file's encoding (default: detected)"
        )
        sub.add_argument("--delimiter", help="the column separator (default: detected)")
        if what == "credits":
            sub.add_argument(
                "--date-order", choices=["mdy", "dmy"],
                help="how to read dates like 03/04/2026 (default: settled from the file)",
            )  # fmt: skip
            sub.add_argument(
                "--create-missing-members", action="store_true",
                help="add people the file names who aren't in Desk yet (default: an error)",
            )  # fmt: skip
            sub.add_argument(
                "--create-missing-types", action="store_true",
                help="add appointment types the file names that Desk lacks (default: an error)",
            )  # fmt: skip
    command("list", "the imports done so far", import_actions)
    undo = command("undo", "take back an import whose credits are all unused", import_actions)
    undo.add_argument("batch", help="the import's id (see 'desk import list')")

    exports = commands.add_parser("export", help="write members, credits or appointments to CSV")
    export_actions = exports.add_subparsers(
        dest="action", metavar="WHAT", required=True, parser_class=_Parser
    )
    for what, text in (
        ("members", "every member"),
        ("credits", "one row per lot with open credits"),
        ("appointments", "every appointment"),
    ):
        command(what, text, export_actions).add_argument(
            "file", type=Path, help="the CSV file to write (replaced if it exists)"
        )
    command("check", "check the database file and reconcile every credit lot with its ledger")
    backup = command("backup", "copy the database to a backup file (SQLite, online backup API)")
    backup.add_argument(
        "file", nargs="?", type=Path, help="where to write it (default: the backups folder)"
    )
    restore = command(
        "restore", "replace the database with a backup, keeping the current file aside"
    )
    restore.add_argument("file", type=Path, help="the backup to restore")

    billing = commands.add_parser(
        "billing", help="bill plans: grant their credits, charge accounts"
    )
    billing_actions = billing.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    run = command("run", "bill every plan period that starts on or before a date", billing_actions)
    run.add_argument("--through", required=True, help="last day to bill up to, YYYY-MM-DD")
    add_staff_commands(commands, command)
    add_appointment_commands(commands, command)
    return parser


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
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
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
        # Not through open_database: the file being replaced may be too damaged to open.
        return _restore(url, args.file, sys.stdout)
    handler = _HANDLERS[(args.command, getattr(args, "action", None))]
    try:
        db = open_database(url)
    except DatabaseError as exc:
        return _fail(str(exc))
    _announce(new_file)
    backups.start_up_backup(db)
    try:
        return handler(Services.build(db), args, sys.stdout)
    except (DeskError, UsageError, StaffUsageError, AppointmentUsageError) as exc:
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


def _fail(message: str) -> int:
    print(f"desk: error: {message}", file=sys.stderr)
    return 1


# --- commands ----------------------------------------------------------------------------


def _demo(services: Services, args: argparse.Namespace, out: TextIO) -> int:
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


def _show(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    print(f"{member.full_name} (#{member.id}, {member.status.value})", file=out)
    contact = " · ".join(x for x in (member.email, member.phone) if x)
    if contact:
        print(contact, file=out)
    print(file=out)
    balances = services.credits.balances(MemberId(member.id))
    if not balances:
        print("No appointment credits.", file=out)
        return 0
    _table(
        out,
        ("Appointment type", "Open", "Booked", "Used", "Expired", "Granted", "Adjusted"),
        [
            (
                b.appointment_type,
                *(str(v) for v in (b.open, b.booked, b.used, b.expired, b.granted)),
                f"{b.adjusted:+d}" if b.adjusted else "0",
            )
            for b in balances
        ],
        right={1, 2, 3, 4, 5, 6},
    )
    lots = services.credits.lots(MemberId(member.id), include_expired=args.all)
    print(file=out)
    print("Lots" + (" (all)" if args.all else " with open credits"), file=out)
    if not lots:
        print(
            "  none" + ("" if args.all else " (use --all to see expired and used-up lots)"),
            file=out,
        )
        return 0
    _table(
        out,
        ("Lot", "Type", "Source", "Granted", "Left", "Price", "Bought", "Expires", "Note"),
        [_lot_row(services, lot) for lot in lots],
        right={0, 3, 4, 5},
    )
    return 0


def _lot_row(services: Services, lot: LotView) -> tuple[str, ...]:
    bought = lot.created_at.astimezone(services.clock.tz).date().isoformat()
    expires = lot.expires_on.isoformat() if lot.expires_on else "never"
    if lot.is_expired:
        expires += " (expired)"
    return (
        str(lot.id),
        lot.appointment_type,
        lot.source.value,
        str(lot.quantity),
        str(lot.remaining),
        format_money(lot.price_cents, lot.currency),
        bought,
        expires,
        lot.note,
    )


def _add(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    kind = services.appointment_types.by_name(args.type)
    expires = _parse_date(args.expires, "--expires") if args.expires else None
    price = parse_money(args.price, "--price")
    lot = services.credits.add_credits(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(kind.id),
        quantity=args.quantity,
        expires_on=expires,
        price_cents=price,
        source=LotSource(args.source),
        note=args.note,
        actor=command_line(),
    ).value
    until = f", expiring {lot.expires_on.isoformat()}" if lot.expires_on else ", never expiring"
    print(
        f"Added {lot.quantity} {kind.name} credit{'s' if lot.quantity != 1 else ''} to "
        f"{member.full_name} (lot {lot.id}, {format_money(lot.price_cents, lot.currency)}{until}).",
        file=out,
    )
    return 0


def _adjust(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    kind = services.appointment_types.by_name(args.type)
    text = args.delta.strip()
    try:
        delta = int(text)
    except ValueError:
        raise UsageError(f"--by takes a whole number like +2 or -1, not {text!r}") from None
    balance = services.credits.adjust(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(kind.id),
        delta=delta,
        reason=args.reason,
        actor=command_line(),
    ).value
    print(
        f"Adjusted {member.full_name}'s {kind.name} credits by {delta:+d}: "
        f"{balance.open} open now.",
        file=out,
    )
    return 0


def _expire(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    count = services.credits.expire_due(actor=command_line()).value
    print(f"Expired the open credits of {count} lot{'s' if count != 1 else ''}.", file=out)
    return 0


def _check(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    problems = [f"database file: {p}" for p in backups.integrity_problems(services.db)]
    problems += services.credits.verify_ledger()
    if problems:
        for problem in problems:
            print(f"  {problem}", file=out)
        print(f"{len(problems)} problem(s) in {services.db.describe()}.", file=out)
        return 1
    print(f"{services.db.describe()}: every credit lot agrees with its ledger.", file=out)
    return 0


def _import_options(args: argparse.Namespace) -> ImportOptions:
    delimiter = args.delimiter
    if delimiter in ("tab", "\\t"):
        delimiter = "\t"
    return ImportOptions(
        encoding=args.encoding,
        delimiter=delimiter,
        mappings=tuple(args.map),
        date_order=getattr(args, "date_order", None),
        create_missing_members=getattr(args, "create_missing_members", False),
        create_missing_types=getattr(args, "create_missing_types", False),
        dry_run=args.dry_run,
    )


def _print_report(report: ImportReport, out: TextIO) -> int:
    print(
        f"{report.file_name}: {report.rows:,} rows "
        f"({report.encoding}, {report.delimiter}-separated)",
        file=out,
    )
    mapped = ", ".join(f"{field} <- {column!r}" for field, column in report.columns.items())
    print(f"Columns: {mapped}", file=out)
    for problem in report.problems:
        remedy = f"; {CLI_REMEDIES[problem.remedy]}" if problem.remedy else ""
        print(f"  {problem.severity.value}: {problem}{remedy}", file=out)
    if not report.ok:
        print(
            f"{len(report.errors)} error(s): nothing was imported. Fix the file and run again.",
            file=out,
        )
        return 1
    if report.written:
        extra = []
        if report.created_members:
            extra.append(f"{report.created_members} new members")
        if report.created_types:
            extra.append(f"new types: {', '.join(report.created_types)}")
        more = f" ({'; '.join(extra)})" if extra else ""
        print(
            f"Imported {report.to_import:,} rows{more}; {report.already_imported:,} were already "
            f"imported. Import id {report.batch_id} (undo with 'desk import undo').",
            file=out,
        )
    elif report.rows == 0:
        print("The file has no rows to import.", file=out)
    elif report.to_import == 0:
        print(
            f"Nothing to import: all {report.already_imported:,} rows were already imported.",
            file=out,
        )
    else:
        print(
            f"Dry run: {report.to_import:,} rows would be imported, "
            f"{report.already_imported:,} were already imported. Nothing was written.",
            file=out,
        )
    return 0


# What settles a problem, said the command line's way (the wizard names its controls).
CLI_REMEDIES = {
    Remedy.DATE_ORDER: "choose with --date-order mdy or dmy",
    Remedy.CREATE_MEMBERS: "or use --create-missing-members",
    Remedy.CREATE_TYPES: "or use --create-missing-types",
}


def _import(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    options = _import_options(args)
    try:
        if args.action == "members":
            report = services.imports.import_members(args.file, options, actor=command_line()).value
        else:
            report = services.imports.import_credits(args.file, options, actor=command_line()).value
    except ValidationError as exc:
        if exc.field == "columns":
            hint = f"{exc.message.removesuffix('.')} with --map COLUMN=FIELD."
            raise ValidationError(exc.field, hint) from exc
        raise
    return _print_report(report, out)


def _import_list(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    batches = services.imports.batches()
    if not batches:
        print("No imports yet.", file=out)
        return 0
    tz = services.clock.tz
    _table(
        out,
        ("Import id", "What", "File", "When", "Rows", "Status"),
        [
            (b.id, b.kind, b.file_name, b.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
             str(b.rows_imported), b.status)
            for b in batches
        ],
        right={4},
    )  # fmt: skip
    return 0


def _import_undo(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    batch = services.imports.undo(args.batch, actor=command_line()).value
    print(f"Undid the import of {batch.file_name} ({batch.rows_imported} rows).", file=out)
    return 0


def _export(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    write = {
        "members": services.exports.members,
        "credits": services.exports.credits,
        "appointments": services.exports.appointments,
    }[args.action]
    count = write(args.file)
    print(f"Wrote {count:,} {args.action} rows to {args.file}.", file=out)
    return 0


def _billing_run(services: Services, args: argparse.Namespace, out: TextIO) -> int:
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


def _backup(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    target = services.backups.back_up_now(args.file, actor=command_line())
    print(f"Backed up {services.db.describe()} to {target}.", file=out)
    return 0


def _restore(url: str, file: Path, out: TextIO) -> int:
    try:
        db = Database(url)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        result = BackupService(db).restore(file, actor=command_line())
    except DeskError as exc:
        return _fail(exc.message)
    finally:
        db.dispose()
    print(f"Restored {db.describe()} from {result.restored_from}.", file=out)
    print(backup_files.describe(result.checksum), file=out)
    if result.kept_aside is not None:
        print(f"The database as it was is kept in {result.kept_aside}.", file=out)
    return 0


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} takes a date like 2026-12-31, not {text!r}") from None


def _table(
    out: TextIO, header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None
) -> None:
    right = right or set()
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    print(line(header), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)


_Handler = Callable[[Services, argparse.Namespace, TextIO], int]
_HANDLERS: dict[tuple[str, str | None], _Handler] = {
    ("demo", None): _demo,
    ("members", "search"): _search,
    ("credits", "show"): _show,
    ("credits", "add"): _add,
    ("credits", "adjust"): _adjust,
    ("credits", "expire"): _expire,
    ("check", None): _check,
    ("backup", None): _backup,
    ("billing", "run"): _billing_run,
    ("import", "members"): _import,
    ("import", "credits"): _import,
    ("import", "list"): _import_list,
    ("import", "undo"): _import_undo,
    ("export", "members"): _export,
    ("export", "credits"): _export,
    ("export", "appointments"): _export,
    **STAFF_HANDLERS,
    **APPOINTMENT_HANDLERS,
}

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
