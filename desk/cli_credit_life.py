"""``desk credits extend|transfer|undo`` and ``desk members merge``: a lot's expiry, moving
credits to another member, undoing a credit action, merging duplicate records. A bulk
change and a merge print what they would do and change nothing until ``--yes`` is given."""

from __future__ import annotations

import argparse
from typing import TextIO

from desk.cli_common import UsageError, _parse_date, _table
from desk.services.container import Services
from desk.services.core.actor import command_line
from desk.services.core.ids import MemberId
from desk.services.core.money import format_money
from desk.services.credits.lot_changes import ExpiryChangeRow, ExpiryFilter, ExpiryShift


def _shift(args: argparse.Namespace) -> ExpiryShift:
    if (args.days is None) == (args.until is None):
        raise UsageError("give exactly one of --days N or --until YYYY-MM-DD")
    if args.until is not None:
        return ExpiryShift(to=_parse_date(args.until, "--until"))
    return ExpiryShift(days=args.days)


def _print_changes(rows: list[ExpiryChangeRow], out: TextIO) -> None:
    if not rows:
        print("No open lots match.", file=out)
        return
    _table(
        out,
        ("Lot", "Member", "Type", "Left", "Expires", "New expiry"),
        [
            (str(r.lot_id), r.member_name, r.appointment_type, str(r.remaining),
             r.old_expires_on.isoformat() if r.old_expires_on else "never",
             r.new_expires_on.isoformat())
            for r in rows
        ],
        right={0, 3},
    )  # fmt: skip


def _extend(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    shift = _shift(args)
    if args.lot is not None:
        if shift.to is None:
            raise UsageError("--lot takes a new date: --until YYYY-MM-DD")
        change = services.lot_changes.change_expiry(
            args.lot, expires_on=shift.to, reason=args.reason, actor=command_line()
        ).value
        _print_changes([change], out)
        return 0
    if args.expiring_from is None or args.expiring_to is None:
        raise UsageError("give --lot ID, or --expiring-from and --expiring-to for many lots")
    type_id = services.appointment_types.by_name(args.type).id if args.type else None
    which = ExpiryFilter(_parse_date(args.expiring_from, "--expiring-from"),
                         _parse_date(args.expiring_to, "--expiring-to"), type_id)  # fmt: skip
    if not args.yes:
        rows = services.lot_changes.preview_expiry_change(which, shift)
        _print_changes(rows, out)
        print(f"{len(rows)} lot(s) would change; run again with --yes to change them.", file=out)
        return 0
    rows = services.lot_changes.change_expiries(
        which, shift, reason=args.reason, actor=command_line()
    ).value
    _print_changes(rows, out)
    print(f"Changed the expiry of {len(rows)} lot(s).", file=out)
    return 0


def _transfer(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    to = services.members.resolve(args.to)
    result = services.lot_changes.transfer(
        args.lot, to_member_id=MemberId(to.id), quantity=args.quantity, reason=args.reason,
        actor=command_line(),
    ).value  # fmt: skip
    print(
        f"Moved {result.quantity} credit{'s' if result.quantity != 1 else ''} of lot "
        f"{result.from_lot_id} to {to.full_name} (new lot {result.to_lot_id}, worth "
        f"{format_money(result.price_cents, result.currency)}).",
        file=out,
    )
    return 0


def _merge(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    dup, keep = services.members.resolve(args.member), services.members.resolve(args.into)
    if args.yes:
        moved = services.merges.merge(
            MemberId(dup.id), into_member_id=MemberId(keep.id), reason=args.reason,
            actor=command_line(),
        ).value  # fmt: skip
    else:
        moved = services.merges.preview_merge(MemberId(dup.id), MemberId(keep.id))
    print(
        f"{moved.from_name} (#{moved.from_member_id}) into {moved.into_name} "
        f"(#{moved.into_member_id}): {moved.credit_lots} lot(s) with {moved.open_credits} open "
        f"credit(s), {moved.appointments} appointment(s), {moved.waitlist_entries} waitlist "
        f"place(s), {moved.subscriptions} plan(s), {moved.account_entries} account entries, "
        f"{moved.audit_events} audit event(s)"
        + (f", import key {moved.external_id}" if moved.external_id else "")
        + ".",
        file=out,
    )
    print("Merged." if args.yes else "Run again with --yes to merge.", file=out)
    return 0


def _undo(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    if (args.event is None) == (args.last is None):
        raise UsageError("give an audit event id, or --last MEMBER")
    event: int | None = args.event
    if args.last is not None:
        member = services.members.resolve(args.last)
        token = services.credit_undo.last_action(member.id, by=command_line())
        if token is None:
            print(f"Nothing to undo: no credit action from the command line on "
                  f"{member.full_name} in the last 10 minutes.", file=out)  # fmt: skip
            return 1
        event = token.event_id
    assert event is not None
    result = services.credit_undo.undo(event, actor=command_line()).value
    print(f"Undone: {result.summary} (audit event {result.event_id}).", file=out)
    return 0
