"""``desk appointments unpaid MEMBER``: the member's bookings still owing a credit (book
now, pay later), and the line ``desk credits add`` prints about the ones it paid."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from desk.services.core.ids import MemberId

if TYPE_CHECKING:
    from desk.services.container import Services
    from desk.services.core.read_models import PaidBooking


def add_unpaid_command(actions: Any, command: Any) -> None:
    """Add ``appointments unpaid`` (see cli_appointments.add_appointment_commands)."""
    unpaid = command("unpaid", "a member's bookings made unpaid that still owe a credit", actions)
    unpaid.add_argument("member", help="member id, email or external id")


def appointments_unpaid(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    owing = services.unpaid.owing(MemberId(member.id))
    if not owing:
        print(f"{member.full_name} owes no credit for any booking.", file=out)
        return 0
    noun = "booking owes" if len(owing) == 1 else "bookings owe"
    print(f"{member.full_name}: {len(owing)} unpaid {noun} a credit", file=out)
    for appt in owing:
        start = appt.starts_at.astimezone(services.clock.tz)
        status = appt.status.value.replace("_", " ")
        print(
            f"  #{appt.id}  {start:%Y-%m-%d %H:%M}  {appt.appointment_type} with "
            f"{appt.staff_name}  ({status})",
            file=out,
        )
    return 0


def print_paid(services: Services, paid: Sequence[PaidBooking], out: TextIO) -> None:
    """ "Paid 2 unpaid bookings: #7 2026-03-10 10:00 PT, ..." after a grant (nothing if none)."""
    if not paid:
        return
    noun = "booking" if len(paid) == 1 else "bookings"
    sessions = ", ".join(
        f"#{p.appointment_id} {p.starts_at.astimezone(services.clock.tz):%Y-%m-%d %H:%M} "
        f"{p.appointment_type}"
        for p in paid
    )
    print(f"Paid {len(paid)} unpaid {noun}: {sessions}.", file=out)
