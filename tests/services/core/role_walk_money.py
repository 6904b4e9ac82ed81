"""The role walk's lines for the catalog, selling, billing, the account and backups
(test_role_walk.py merges them into its WRITES)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from desk.services.core.actor import Actor
from desk.services.core.permissions import Permission
from tests.actors import SYSTEM

Call = Callable[[Any, Actor], Any]


def _plan_credits(g: Any) -> list[tuple[int, int]]:
    return [(int(g.kind), 4)]


# fmt: off
MONEY_WRITES: dict[str, list[tuple[set[Permission] | frozenset[Permission], Call]]] = {
    "catalog.save_package": [({Permission.SETTINGS}, lambda g, a: g.services.catalog
        .save_package(name=f"Pack {g.next_start():%j}", appointment_type_id=g.kind, credits=5,
                      price_cents=10_000, validity_days=90, actor=a))],
    "catalog.save_plan": [({Permission.SETTINGS}, lambda g, a: g.services.catalog.save_plan(
        name=f"Plan {g.next_start():%j}", period="month", price_cents=9_900,
        credits=_plan_credits(g), billing_day=1, actor=a))],
    "sales.sell_package": [
        ({Permission.SELL_AT_LIST_PRICE}, lambda g, a: g.services.sales.sell_package(
            member_id=g.member, package_id=g.package, actor=a)),
        ({Permission.SELL_AT_LIST_PRICE, Permission.CUSTOM_PRICE},
         lambda g, a: g.services.sales.sell_package(
            member_id=g.member, package_id=g.package, price_cents=1_000, actor=a)),
    ],
    "sales.void_lot": [({Permission.VOID}, lambda g, a: g.services.sales.void_lot(
        g.services.sales.sell_package(member_id=g.member, package_id=g.package, actor=SYSTEM)
        .value.lot.id, reason="sold by mistake", actor=a))],
    "sales.assign_plan": [({Permission.SELL_AT_LIST_PRICE}, lambda g, a: g.services.sales
        .assign_plan(member_id=g.services.members.create(
            first_name="Plan", last_name="Holder", actor=SYSTEM).value.id, plan_id=g.plan,
            starts_on=date(2026, 3, 4), actor=a))],
    "sales.run_billing": [({Permission.BILLING}, lambda g, a: g.services.sales.run_billing(
        through=date(2026, 3, 4), actor=a))],
    "account.add_credit": [({Permission.ACCOUNT_CREDIT}, lambda g, a: g.services.account
        .add_credit(g.member, 1_000, note="goodwill", actor=a))],
    "account.record_payment": [({Permission.TAKE_PAYMENT}, lambda g, a: g.services.account
        .record_payment(g.member, 1_000, actor=a))],
    "account.charge": [({Permission.BILLING}, lambda g, a: g.services.account.charge(
        g.member, 500, note="towel", actor=a))],
    "backups.back_up_now": [({Permission.BACKUP}, lambda g, a: g.services.backups
        .back_up_now(actor=a))],
    "backups.restore": [({Permission.RESTORE}, lambda g, a: g.services.backups.restore(
        g.backup or Path("no-backup-on-a-server"), actor=a))],
}
# fmt: on
