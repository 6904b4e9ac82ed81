"""``desk appointments book MEMBER --type T --coach C --at "2026-03-10 10:00"``: book a
session from a script, with the booking screen's choices: ``--lot`` (the lot that pays
instead of the usual one), ``--unpaid`` (book now, pay later, for a role that may) and
``--override-reason`` (sooner than the type's notice or beyond its horizon)."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_appointment_errors import AppointmentUsageError
from desk.services.core.actor import command_line
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId

if TYPE_CHECKING:
    from desk.services.container import Services


def add_book_command(actions: Any, command: Any) -> None:
    """Add ``appointments book`` (see cli_appointments.add_appointment_commands)."""
    book = command("book", "book a member into a session, paid by one credit", actions)
    book.add_argument("member", help="member id, email or external id")
    book.add_argument("--type", required=True, help="the appointment type's name")
    book.add_argument("--coach", required=True, help="the staff member's id or name")
    book.add_argument(
        "--at", required=True, help='the start, in the gym\'s time zone: "2026-03-10 10:00"'
    )
    book.add_argument(
        "--minutes", type=int, default=None, help="how long (default: the type's duration)"
    )
    book.add_argument(
        "--lot", type=int, default=None, help="the lot that pays (default: the usual order)"
    )
    book.add_argument(
        "--unpaid",
        action="store_true",
        help="without a usable credit, book it unpaid: the next credits pay it (default: no)",
    )
    book.add_argument(
        "--override-reason",
        default=None,
        help="book sooner than the type's notice or beyond its horizon, saying why (default: no)",
    )
    book.add_argument("--notes", default="", help="a note on the booking (default: none)")


def _start(text: str, services: Services) -> datetime:
    try:
        naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise AppointmentUsageError(
            f'--at {text!r} is not a start like "2026-03-10 10:00"'
        ) from None
    return naive.replace(tzinfo=services.clock.tz)


def appointments_book(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.cli_staff import find_staff

    member = services.members.resolve(args.member)
    kind = services.appointment_types.by_name(args.type)
    coach = find_staff(services, args.coach)
    starts = _start(args.at, services)
    if args.minutes is not None and not 1 <= args.minutes <= 720:
        raise AppointmentUsageError("--minutes must be between 1 and 720")
    ends = starts + timedelta(minutes=args.minutes) if args.minutes is not None else None
    appt = services.booking.book(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(kind.id),
        staff_id=StaffId(coach.id),
        starts_at=starts,
        ends_at=ends,
        notes=args.notes,
        override_reason=args.override_reason,
        lot_id=args.lot,
        unpaid=args.unpaid,
        actor=command_line(),
    ).value
    start = appt.starts_at.astimezone(services.clock.tz)
    paid = "unpaid: the next credits pay it" if appt.unpaid else f"paid by lot #{appt.lot_id}"
    print(
        f"Booked #{appt.id}: {appt.member_name}, {appt.appointment_type} with "
        f"{appt.staff_name} on {start:%Y-%m-%d %H:%M} ({paid}).",
        file=out,
    )
    return 0
