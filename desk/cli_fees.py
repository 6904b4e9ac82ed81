"""``desk fees list|waive|set``: a member's late-cancel and no-show fees, waiving one with
a reason, and setting the fees of an appointment type (the rule: services/selling/fees.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_common import _table
from desk.services.core.actor import command_line
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.money import format_money, parse_money

if TYPE_CHECKING:
    from desk.services.container import Services


def add_fee_commands(commands: Any, command: Any) -> None:
    """Add ``fees list|waive|set`` to the ``desk`` parser (see cli_parser.build_parser)."""
    fees = commands.add_parser("fees", help="late-cancel and no-show fees")
    actions = fees.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(fees)
    )
    listing = command("list", "a member's fees, newest first, waived ones too", actions)
    listing.add_argument("member", help="member id, email or external id")
    waive = command("waive", "waive a fee: the amount goes back on the account", actions)
    waive.add_argument("fee", type=int, help="the fee's id (see 'desk fees list')")
    waive.add_argument("--reason", required=True, help="why (kept in the history)")
    setting = command("set", "set what a type's late cancels and no-shows charge", actions)
    setting.add_argument("type", help="appointment type name")
    setting.add_argument(
        "--late-cancel", default="0", help="late-cancel fee, e.g. 15.00 (default 0)"
    )
    setting.add_argument("--no-show", default="0", help="no-show fee, e.g. 20.00 (default 0)")
    setting.add_argument(
        "--instead-of-forfeit", action="store_true",
        help="the fee replaces forfeiting the credit: the credit goes back (default: both)",
    )  # fmt: skip


def _list(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    fees = services.fees.fees(MemberId(member.id))
    if not fees:
        print(f"{member.full_name} has no fees.", file=out)
        return 0
    tz = services.clock.tz
    _table(
        out,
        ("Fee", "Charged", "What", "Session", "Amount", "Waived"),
        [
            (str(f.id), f"{f.at.astimezone(tz):%Y-%m-%d %H:%M}", f.name,
             f"{f.appointment_type} {f.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
             format_money(f.amount_cents, f.currency),
             f"yes: {f.waiver_note}" if f.waived else "no")
            for f in fees
        ],
        right={0, 4},
    )  # fmt: skip
    return 0


def _waive(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    fee = services.fees.waive(args.fee, reason=args.reason, actor=command_line()).value
    print(
        f"Waived fee #{fee.id}: the {format_money(fee.amount_cents, fee.currency)} {fee.name} "
        f"for {fee.appointment_type} (appointment #{fee.appointment_id}) is back on the account.",
        file=out,
    )
    return 0


def _set(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    kind = services.appointment_types.by_name(args.type)
    late = parse_money(args.late_cancel, "late_cancel_fee_cents")
    no_show = parse_money(args.no_show, "no_show_fee_cents")
    fees = services.appointment_types.set_fees(
        AppointmentTypeId(kind.id), late_cancel_fee_cents=late, no_show_fee_cents=no_show,
        replaces_forfeit=args.instead_of_forfeit, actor=command_line(),
    ).value  # fmt: skip
    how = (
        "instead of forfeiting the credit"
        if fees.replaces_forfeit
        else "and the credit is forfeited"
    )
    print(
        f"{kind.name}: a late cancel charges {format_money(fees.late_cancel_fee_cents)}, a no-show "
        f"{format_money(fees.no_show_fee_cents)} ({how}).",
        file=out,
    )
    return 0


FEE_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {
    ("fees", "list"): _list,
    ("fees", "waive"): _waive,
    ("fees", "set"): _set,
}
