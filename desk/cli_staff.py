"""``desk staff ...``: add staff members, list them, give them a sign-in, say who takes bookings.

A password is never an argument (it would land in the shell's history and the
process list): it is read from the terminal without echo, or with
``--password-stdin`` as the first line of standard input, for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_common import lazy_choices
from desk.cli_staff_hours import HOURS_HANDLERS, add_hours_commands
from desk.services.core.actor import command_line
from desk.services.core.ids import StaffId

if TYPE_CHECKING:
    from desk.services.container import Services
    from desk.services.core.read_models import StaffView


class StaffUsageError(Exception):
    """Bad input to a staff command; the message is the one line to print."""


def add_staff_commands(commands: Any, command: Any) -> None:
    """Add ``staff add|list|set-login|set-bookings`` to the ``desk`` parser (see
    cli.build_parser)."""
    staff = commands.add_parser("staff", help="staff members and their sign-ins")
    actions = staff.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(staff)
    )
    add = command("add", "add a staff member (no sign-in until set-login)", actions)
    add.add_argument("name", help="first and last name")
    role = add.add_argument("--role", required=True, help="what they may do")
    lazy_choices(role, _roles)
    add.add_argument(
        "--yes", action="store_true", help="add them even if someone has the same name"
    )
    add.add_argument(
        "--no-bookings",
        action="store_true",
        help="they don't coach: no column on the calendar (change it with set-bookings)",
    )
    listing = command("list", "every staff member, their role and sign-in", actions)
    listing.add_argument("--all", action="store_true", help="include inactive staff")
    login = command(
        "set-login", "give a staff member a username and password (or reset them)", actions
    )
    login.add_argument("staff", help="staff id, or their name")
    login.add_argument("--username", required=True, help="what they type to sign in")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )
    bookings = command(
        "set-bookings", "say whether a staff member takes bookings (is on the calendar)", actions
    )
    bookings.add_argument("staff", help="staff id, or their name")
    bookings.add_argument("takes", choices=["yes", "no"], help="yes: they coach; no: they don't")
    add_hours_commands(actions, command)


def _roles() -> list[str]:
    from desk.services.core.read_models import StaffRole

    return [r.value for r in StaffRole]


def staff_add(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.core.permissions import ROLE_LABELS

    same = services.staff.namesakes(args.name)
    if same and not args.yes:
        ids = ", ".join(f"#{s.id}" for s in same)
        raise StaffUsageError(
            f"there is already a staff member named {same[0].name} ({ids}); "
            "add --yes to add another"
        )
    view = services.staff.create(
        name=args.name, role=args.role, takes_bookings=not args.no_bookings, actor=command_line()
    ).value
    bookings = "" if view.takes_bookings else ", takes no bookings"
    print(
        f"Added {view.name} (#{view.id}, {ROLE_LABELS[view.role]}{bookings}); no sign-in yet.",
        file=out,
    )
    return 0


def staff_list(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.core.permissions import ROLE_LABELS

    logins = services.staff.sign_in_names()
    rows = [
        [str(s.id), s.name, ROLE_LABELS[s.role], logins.get(s.id, "no login"),
         _yes(s.active), _yes(s.takes_bookings)]
        for s in services.staff.list(include_inactive=args.all)
    ]  # fmt: skip
    header = ["Id", "Name", "Role", "Sign-in", "Active", "Bookings"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)
    return 0


def staff_set_login(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    person = find_staff(services, args.staff)
    password = _read_password(args.password_stdin)
    services.auth.set_login(
        StaffId(person.id), username=args.username, password=password, actor=command_line()
    )
    print(f"{person.name} signs in as {args.username.strip().lower()} now.", file=out)
    return 0


def staff_set_bookings(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    person = find_staff(services, args.staff)
    takes = args.takes == "yes"
    services.staff.set_takes_bookings(StaffId(person.id), takes, actor=command_line())
    if takes:
        print(f"{person.name} takes bookings: they have a column on the calendar.", file=out)
    else:
        print(
            f"{person.name} takes no bookings: the calendar shows them only when booked.",
            file=out,
        )
    return 0


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def find_staff(services: Services, text: str) -> StaffView:
    """The staff member with this id or (the only one with) this name."""
    if text.strip().isdigit():
        return services.staff.get(StaffId(int(text)))
    found = services.staff.namesakes(text)
    if not found:
        raise StaffUsageError(f"no staff member is named {text!r}; see 'desk staff list'")
    if len(found) > 1:
        ids = ", ".join(f"#{s.id}" for s in found)
        raise StaffUsageError(f"{len(found)} staff members are named {text!r} ({ids}); use the id")
    return found[0]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise StaffUsageError("--password-stdin read no password (an empty first line)")
        return password
    if not sys.stdin.isatty():
        raise StaffUsageError(
            "no terminal to read the password from; pipe it in with --password-stdin"
        )
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise StaffUsageError("the two passwords differ; nothing changed")
    return password


STAFF_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {
    ("staff", "add"): staff_add,
    ("staff", "list"): staff_list,
    ("staff", "set-login"): staff_set_login,
    ("staff", "set-bookings"): staff_set_bookings,
    **HOURS_HANDLERS,
}
