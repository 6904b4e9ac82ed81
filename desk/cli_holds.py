"""``desk members hold`` and ``desk members end-hold``: put a member on hold (freeze)
from a date to a date with a reason, end it early or cancel one not started."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_common import UsageError, _fail, _parse_date
from desk.services.core.actor import command_line
from desk.services.core.ids import MemberId

if TYPE_CHECKING:
    from desk.services.container import Services
    from desk.services.people.holds import HoldResult


def add_hold_commands(members: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """The two ``members`` actions (``command`` is cli_parser's sub-command maker)."""
    hold = command("hold", "put a member on hold: no booking, expiry dates move", members)
    hold.add_argument("member", help="member id, email or external id")
    hold.add_argument("--from", dest="starts_on", required=True, help="first held day")
    hold.add_argument("--to", dest="ends_on", required=True, help="last held day")
    hold.add_argument("--reason", required=True, help="why (shown on the profile)")
    end = command("end-hold", "end a member's current hold early (or cancel one)", members)
    end.add_argument("member", help="member id, email or external id")
    end.add_argument("--back-on", help="the first day they can book again (default today)")
    end.add_argument("--cancel", action="store_true", help="cancel a hold that hasn't started")


def _print(verb: str, result: HoldResult, out: TextIO) -> None:
    hold = result.hold
    print(f"{verb} #{hold.id}: {hold.starts_on.isoformat()} to {hold.last_day.isoformat()} "
          f"({hold.reason}), {hold.days} day(s).", file=out)  # fmt: skip
    for lot in result.lots:
        print(f"  lot {lot.lot_id}: expires {lot.old_expires_on.isoformat()} -> "
              f"{lot.new_expires_on.isoformat()}", file=out)  # fmt: skip
    if result.left_waitlists:
        count = len(result.left_waitlists)
        print(f"  left {count} waitlist{'s' if count != 1 else ''} in those days", file=out)


def _hold(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from desk.services.people.holds import BookedDuringHold

    member = services.members.resolve(args.member)
    try:
        result = services.holds.place_hold(
            MemberId(member.id), starts_on=_parse_date(args.starts_on, "--from"),
            ends_on=_parse_date(args.ends_on, "--to"), reason=args.reason, actor=command_line(),
        ).value  # fmt: skip
    except BookedDuringHold as exc:
        for booking in exc.bookings:
            local = booking.starts_at.astimezone(services.clock.tz)
            print(f"  #{booking.appointment_id} {local:%Y-%m-%d %H:%M} "
                  f"{booking.appointment_type} with {booking.staff_name}", file=out)  # fmt: skip
        return _fail(exc.message)
    _print(f"{member.full_name} is on hold", result, out)
    return 0


def _end_hold(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    hold = services.holds.current_hold(MemberId(member.id))
    if hold is None:
        raise UsageError(f"{member.full_name} has no current or coming hold")
    if args.cancel:
        result = services.holds.cancel_hold(hold.id, actor=command_line()).value
        _print(f"Cancelled {member.full_name}'s hold", result, out)
        return 0
    back = _parse_date(args.back_on, "--back-on") if args.back_on else None
    result = services.holds.end_hold_early(hold.id, back_on=back, actor=command_line()).value
    _print(f"Ended {member.full_name}'s hold early, now", result, out)
    return 0


HOLD_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {("members", "hold"): _hold, ("members", "end-hold"): _end_hold}
