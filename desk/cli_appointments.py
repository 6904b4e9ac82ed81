"""``desk appointments undo-status`` (put a check-in, no-show or late cancel back to booked),
``desk appointments forgive`` (a late cancel or no-show's credit back, the status kept),
``unpaid`` (cli_unpaid) and ``book`` (cli_booking)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_appointment_errors import AppointmentUsageError
from desk.cli_booking import add_book_command, appointments_book
from desk.cli_unpaid import add_unpaid_command, appointments_unpaid
from desk.services.core.actor import command_line
from desk.services.core.ids import AppointmentId

if TYPE_CHECKING:
    from desk.services.container import Services


def add_appointment_commands(commands: Any, command: Any) -> None:
    """Add the ``appointments`` commands to the ``desk`` parser (see cli.build_parser)."""
    appointments = commands.add_parser("appointments", help="booked sessions")
    actions = appointments.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(appointments)
    )
    undo = command(
        "undo-status",
        "undo a check-in, no-show or late cancel: the session is booked again",
        actions,
    )
    undo.add_argument("appointment", help="the appointment's id (42 or #42)")
    undo.add_argument("--reason", required=True, help="why (kept in the history)")
    forgive = command(
        "forgive",
        "forgive a late cancel or no-show: its credit goes back to the lot that paid",
        actions,
    )
    forgive.add_argument("appointment", help="the appointment's id (42 or #42)")
    forgive.add_argument("--reason", required=True, help="why (kept in the history)")
    add_unpaid_command(actions, command)
    add_book_command(actions, command)


def _appointment_id(text: str) -> AppointmentId:
    digits = text.strip().removeprefix("#")
    if not digits.isdigit():
        raise AppointmentUsageError(f"{text!r} is not an appointment id like 42")
    return AppointmentId(int(digits))


def appointments_undo_status(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    before = services.booking.get(_appointment_id(args.appointment))
    after = services.booking.undo_status(
        AppointmentId(before.id), reason=args.reason, actor=command_line()
    ).value
    start = after.starts_at.astimezone(services.clock.tz)
    was = before.status.value.replace("_", " ")
    print(
        f"Appointment #{after.id} ({after.member_name}, {after.appointment_type} on "
        f"{start:%Y-%m-%d %H:%M}) is booked again; it was {was}.",
        file=out,
    )
    return 0


def appointments_forgive(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    after = services.booking.forgive(
        _appointment_id(args.appointment), reason=args.reason, actor=command_line()
    ).value
    start = after.starts_at.astimezone(services.clock.tz)
    was = after.status.value.replace("_", " ")
    print(
        f"Appointment #{after.id} ({after.member_name}, {after.appointment_type} on "
        f"{start:%Y-%m-%d %H:%M}) stays {was}; its credit is back on lot #{after.lot_id}.",
        file=out,
    )
    return 0


APPOINTMENT_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {
    ("appointments", "undo-status"): appointments_undo_status,
    ("appointments", "forgive"): appointments_forgive,
    ("appointments", "unpaid"): appointments_unpaid,
    ("appointments", "book"): appointments_book,
}
