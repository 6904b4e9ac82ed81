"""``desk appointments undo-status``: put a check-in, no-show or late cancel back to booked."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from desk.services.container import Services
from desk.services.core.actor import command_line
from desk.services.core.ids import AppointmentId


class AppointmentUsageError(Exception):
    """Bad input to an appointments command; the message is the one line to print."""


def add_appointment_commands(commands: Any, command: Any) -> None:
    """Add ``appointments undo-status`` to the ``desk`` parser (see cli.build_parser)."""
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


def appointments_undo_status(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    text = args.appointment.strip().removeprefix("#")
    if not text.isdigit():
        raise AppointmentUsageError(f"{args.appointment!r} is not an appointment id like 42")
    before = services.booking.get(AppointmentId(int(text)))
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


APPOINTMENT_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {
    ("appointments", "undo-status"): appointments_undo_status,
}
