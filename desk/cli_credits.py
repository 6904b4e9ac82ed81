"""``desk credits show|add|adjust|expire``: a member's credits, from a terminal."""

from __future__ import annotations

import argparse
from typing import TextIO

from desk.cli_common import UsageError, _parse_date, _table
from desk.cli_unpaid import print_paid
from desk.services.container import Services
from desk.services.core.actor import command_line
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.money import format_money, parse_money
from desk.services.core.read_models import LotSource, LotView


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
    _paying_order(services, member.id, out)
    return 0


def _paying_order(services: Services, member_id: int, out: TextIO) -> None:
    """ "Sports Massage: lot 12, then lot 7": the order the lots pay in, per type."""
    order = services.credits.paying_order(MemberId(member_id))
    if not order:
        return
    print(file=out)
    print("Paying order (the first pays the next session)", file=out)
    for type_name in dict.fromkeys(lot.appointment_type for lot in order):
        ids = [f"lot {lot.lot_id}" for lot in order if lot.appointment_type == type_name]
        print(f"  {type_name}: {', then '.join(ids)}", file=out)


def _lot_row(services: Services, lot: LotView) -> tuple[str, ...]:
    bought = lot.created_at.astimezone(services.clock.tz).date().isoformat()
    expires = lot.expires_on.isoformat() if lot.expires_on else "never"
    if lot.expires_on is None and lot.first_use_days is not None:
        expires = f"{lot.first_use_days} days from first use"
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
    print_paid(services, lot.paid_unpaid, out)
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
