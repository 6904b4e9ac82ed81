"""The ``desk`` command's argument parser: every command, its options and their help."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from desk import __version__
from desk.cli_appointments import add_appointment_commands
from desk.cli_common import lazy_choices
from desk.cli_fees import add_fee_commands
from desk.cli_holds import add_hold_commands
from desk.cli_pools import add_pool_commands
from desk.cli_reports import add_report_commands
from desk.cli_staff import add_staff_commands
from desk.paths import DATABASE_URL_ENV, default_database_path

# Every command builds this parser, `desk --version` too: it imports nothing of the
# database layer (SQLAlchemy, the models, the services). What an option needs from
# there loads when the option is used (tests/cli/test_cli_imports.py).


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage dump: staff read this, not developers.
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


class _TopParser(_Parser):
    def format_help(self) -> str:
        # The epilog names the local file: its folder is looked up for the help only.
        if self.epilog is None:
            self.epilog = (
                f"The local database is {default_database_path()} unless --database or "
                f"${DATABASE_URL_ENV} names another (a SQLite file or a PostgreSQL server URL)."
            )
        return super().format_help()


def _encoding(text: str) -> str:
    # Judged before the file is read, like a bad number: argparse's one line, status 2.
    from desk.services.core.errors import ValidationError
    from desk.services.importing.csv_file import text_encoding

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


def _lot_sources() -> list[str]:
    from desk.services.core.read_models import LotSource

    return [s.value for s in LotSource]


def _leave_out(text: str) -> tuple[int, str]:
    line, _, why = text.partition(":")
    if not line.strip().isdigit():
        raise argparse.ArgumentTypeError(f"--leave-out takes ROW[:WHY], not {text!r}")
    return int(line), why.strip()


def _credit_import_options(sub: argparse.ArgumentParser) -> None:
    """The options of ``desk import credits`` and ``desk import appointments``."""
    sub.add_argument(
        "--date-order", choices=["mdy", "dmy"],
        help="how to read dates like 03/04/2026 (default: settled per column from the file)",
    )  # fmt: skip
    sub.add_argument(
        "--create-missing-members", action="store_true",
        help="add people the file names who aren't in Desk yet (default: an error)",
    )  # fmt: skip
    sub.add_argument(
        "--create-missing-types", action="store_true",
        help="add appointment types the file names that Desk lacks (default: an error)",
    )  # fmt: skip
    sub.add_argument(
        "--map-type", action="append", default=[], metavar="NAME_IN_FILE=DESK_TYPE",
        help="read a service or pricing option of the file as a Desk appointment type "
        "(repeatable; remembered for the next file from the same system; default: the "
        "remembered mapping, then the names as they are)",
    )  # fmt: skip
    sub.add_argument(
        "--system", help="the system the file comes from, for remembered type mappings "
        "(default: told from the header)",
    )  # fmt: skip
    sub.add_argument(
        "--leave-out", action="append", default=[], type=_leave_out, metavar="ROW[:WHY]",
        help="leave out the row starting on line ROW of the file (repeatable; default: "
        "every row goes in)",
    )  # fmt: skip
    sub.add_argument(
        "--report", type=Path, metavar="FILE",
        help="write a CSV saying what became of every row of the file",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = _TopParser(
        prog="desk",
        description="Desk: the front desk of your gym. Plain 'desk' opens the window; the "
        "commands below work on the database from a terminal.",
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
    merge = command("merge", "merge a duplicate member record into the one that stays", members)
    merge.add_argument("member", help="the duplicate: member id, email or external id")
    merge.add_argument("--into", required=True, help="the member who stays")
    merge.add_argument("--reason", default="", help="why (required with --yes; default: none)")
    merge.add_argument("--yes", action="store_true", help="merge (without it: show what moves)")
    add_hold_commands(members, command)

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
    source = add.add_argument(
        "--source",
        default="manual",  # LotSource.MANUAL
        help="where the credits come from (default: manual)",
    )
    lazy_choices(source, _lot_sources)
    add.add_argument(
        "--note", default="", help="why, e.g. 'moved from the old system' (default: none)"
    )

    adjust = command("adjust", "correct a member's open credits, with a reason", credits)
    adjust.add_argument("member", help="member id, email or external id")
    adjust.add_argument("--type", required=True, help="appointment type name")
    adjust.add_argument("--by", required=True, dest="delta", help="change, e.g. +2 or -1")
    adjust.add_argument("--reason", required=True, help="why the credits change (required)")

    command("expire", "write off credits on lots past their expiry date", credits)

    extend = command("extend", "change the expiry of one lot, or of many open lots", credits)
    extend.add_argument("--lot", type=int, help="one lot's id (with --until)")
    extend.add_argument("--expiring-from", help="many lots: first expiry date YYYY-MM-DD")
    extend.add_argument("--expiring-to", help="many lots: last expiry date YYYY-MM-DD")
    extend.add_argument("--type", help="many lots: only this appointment type")
    extend.add_argument("--days", type=int, help="move the dates by N days (negative: earlier)")
    extend.add_argument("--until", help="the new expiry date YYYY-MM-DD")
    extend.add_argument(
        "--reason", default="", help="why (default: none; required to move a date earlier)"
    )
    extend.add_argument("--yes", action="store_true", help="many lots: change them (else preview)")

    transfer = command("transfer", "move open credits of a lot to another member", credits)
    transfer.add_argument("--lot", type=int, required=True, help="the lot the credits leave")
    transfer.add_argument("--to", required=True, help="member id, email or external id")
    transfer.add_argument("--quantity", type=int, required=True, help="how many credits")
    transfer.add_argument("--reason", required=True, help="why the credits move (required)")

    undo = command("undo", "take back a credit action of the last 10 minutes", credits)
    undo.add_argument("event", type=int, nargs="?", help="the action's audit event id")
    undo.add_argument("--last", metavar="MEMBER", help="or: the command line's last action "
                      "on this member (id, email or external id)")  # fmt: skip

    imports = commands.add_parser("import", help="bring members and credits in from a CSV file")
    import_actions = imports.add_subparsers(
        dest="action", metavar="WHAT", required=True, parser_class=_Parser
    )
    for what, text in (
        ("members", "add the members of a CSV export"),
        ("credits", "add outstanding credits from a CSV export (lots with source migration)"),
        ("appointments", "book an appointments export's future bookings, each with its credit"),
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
        if what != "members":
            _credit_import_options(sub)
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
    end = command("end-plan", "end a member's plan (shows what it would do first)", billing_actions)
    end.add_argument("subscription", type=int, help="the plan subscription's id")
    end.add_argument("--on", required=True, help="the first day without the plan, YYYY-MM-DD")
    end.add_argument(
        "--credits",
        choices=["keep", "expire", "refund"],
        required=True,
        help="its open credits: keep until expiry, expire now, refund to the account",
    )
    end.add_argument(
        "--bookings",
        choices=["keep", "cancel"],
        required=True,
        help="its bookings on or after the end date: keep or cancel",
    )
    end.add_argument("--yes", action="store_true", help="end it; without this, only preview")
    add_staff_commands(commands, command)
    add_appointment_commands(commands, command)
    add_fee_commands(commands, command)
    add_report_commands(commands, command)
    add_pool_commands(commands, command)
    return parser
