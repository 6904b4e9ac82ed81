"""``desk pools create|add|remove|show|share|dissolve``: shared (family or partner) credits."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from desk.cli_common import UsageError, _table
from desk.services.core.actor import command_line
from desk.services.core.ids import MemberId

if TYPE_CHECKING:
    from desk.services.container import Services
    from desk.services.credits.pool_reads import PoolView


def add_pool_commands(commands: Any, command: Any) -> None:
    """Add ``pools`` and its actions to the ``desk`` parser (see cli_parser)."""
    pools = commands.add_parser(
        "pools", help="shared credits of a family or partner group"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    create = command("create", "set up a shared pool with its members", pools)
    create.add_argument("name", help="the pool's name, e.g. 'Smith family'")
    create.add_argument("--member", action="append", required=True,
                        help="member id, email or external id (repeat for each)")  # fmt: skip
    for name, text in (("add", "put a member in a pool"), ("remove", "take a member out")):
        sub = command(name, text, pools)
        sub.add_argument("pool", help="the pool's id or name")
        sub.add_argument("--member", required=True, help="member id, email or external id")
    show = command("show", "a pool's members, credits and history (default: every pool)", pools)
    show.add_argument("pool", nargs="?", help="the pool's id or name")
    show.add_argument("--member", help="the pool of this member")
    share = command("share", "move a member's own open credits into their pool", pools)
    share.add_argument("--lot", type=int, required=True, help="the member's lot")
    share.add_argument("--quantity", type=int, help="how many (default: all it holds)")
    dissolve = command("dissolve", "end a pool: open credits go back to their buyers", pools)
    dissolve.add_argument("pool", help="the pool's id or name")
    dissolve.add_argument("--yes", action="store_true", help="dissolve (without it: show it)")


def _pool(services: Services, reference: str) -> PoolView:
    ref = reference.strip().lstrip("#")
    if ref.isdigit():
        return services.pools.pool(int(ref))
    found = [p for p in services.pools.pools() if p.name.lower() == ref.lower()]
    if len(found) != 1:
        raise UsageError(f"no single shared pool is named {reference!r}; give its id")
    return found[0]


def _print_pool(services: Services, pool: PoolView, out: TextIO, history: bool) -> None:
    members = ", ".join(f"{m.name} (#{m.member_id})" for m in pool.members) or "nobody"
    state = " (dissolved)" if pool.dissolved else ""
    print(f"Shared pool #{pool.id}: {pool.name}{state} — {len(pool.members)} members: "
          f"{members}", file=out)  # fmt: skip
    if not pool.balances:
        print("No credits in the pool yet.", file=out)
        return
    _table(
        out,
        ("Type", "Open", "Booked", "Used", "Expired", "Next expiry"),
        [
            (b.appointment_type, str(b.open), str(b.booked), str(b.used), str(b.expired),
             (d.isoformat() if (d := pool.next_expiry(b.appointment_type_id)) else "never"))
            for b in pool.balances
        ],
        right={1, 2, 3, 4},
    )  # fmt: skip
    rows = services.pools.pool_history(pool.id) if history else []
    if rows:
        _table(
            out,
            ("When", "What", "Type", "Credits", "Who"),
            [(r.row.at.isoformat(timespec="minutes"), r.row.kind.value, r.row.appointment_type,
              f"{r.row.credit_effect:+d}", r.member_name) for r in rows],
            right={3},
        )  # fmt: skip


def _create(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    ids = [MemberId(services.members.resolve(ref).id) for ref in args.member]
    pool = services.pools.create(args.name, ids, actor=command_line()).value
    _print_pool(services, pool, out, history=False)
    return 0


def _add(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    pool = services.pools.add_member(_pool(services, args.pool).id, MemberId(member.id),
                                     actor=command_line()).value  # fmt: skip
    print(f"{member.full_name} now shares the credits of {pool.name}.", file=out)
    return 0


def _remove(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    member = services.members.resolve(args.member)
    left = services.pools.remove_member(_pool(services, args.pool).id, MemberId(member.id),
                                        actor=command_line()).value  # fmt: skip
    print(f"{member.full_name} left {left.pool.name}; {left.bookings_kept} booking(s) the pool "
          "paid stay booked.", file=out)  # fmt: skip
    return 0


def _show(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    if args.member:
        member = services.members.resolve(args.member)
        pool = services.pools.pool_of(MemberId(member.id))
        if pool is None:
            print(f"{member.full_name} is in no shared pool.", file=out)
            return 0
        _print_pool(services, pool, out, history=True)
    elif args.pool:
        _print_pool(services, _pool(services, args.pool), out, history=True)
    else:
        pools = services.pools.pools()
        for pool in pools:
            _print_pool(services, pool, out, history=False)
        if not pools:
            print("No shared pools.", file=out)
    return 0


def _share(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    lot = services.pools.share_lot(args.lot, quantity=args.quantity, actor=command_line()).value
    print(f"Moved {lot.remaining} {lot.appointment_type} credit(s) into the pool "
          f"(new lot {lot.id}).", file=out)  # fmt: skip
    return 0


def _dissolve(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    pool = _pool(services, args.pool)
    if not args.yes:
        _print_pool(services, pool, out, history=False)
        print("Run again with --yes to dissolve it (open credits go back to their buyers).",
              file=out)  # fmt: skip
        return 0
    done = services.pools.dissolve(pool.id, actor=command_line()).value
    print(f"Dissolved {pool.name}: {done.credits_returned} open credit(s) of "
          f"{done.lots_returned} lot(s) back to their buyers.", file=out)  # fmt: skip
    return 0


POOL_HANDLERS: dict[
    tuple[str, str | None], Callable[[Services, argparse.Namespace, TextIO], int]
] = {
    ("pools", "create"): _create,
    ("pools", "add"): _add,
    ("pools", "remove"): _remove,
    ("pools", "show"): _show,
    ("pools", "share"): _share,
    ("pools", "dissolve"): _dissolve,
}
