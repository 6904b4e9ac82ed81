"""Two kinds of sale edits raced by eight desks at once, round after round.

Void: eight desks void the same sale at the same moment. Done one after the
other, the first removes the lot's unused credits and puts the unused share of
the price back on the account; the other seven are told it was already voided.
So after every round: one void succeeded, seven were refused (InvalidState),
the lot has one void adjustment and nothing left, the account has one refund,
and the balance is the price (charged, paid at the desk, refunded once). The
lot row is locked (SELECT ... FOR UPDATE) before voided_at is read; SQLite's
BEGIN IMMEDIATE serialises the desks anyway.

Plan: eight desks put the same member on the same plan from the same day. The
rules allow one subscription to a plan at a time, so exactly one is created and
seven are refused (ValidationError). Before assign_plan locked the member row,
PostgreSQL let every desk find "no clash" and insert its own.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from desk.models import AccountEntry, CreditEntry, CreditLot, EntryKind, Subscription
from desk.services.core.ids import MemberId
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = 50
PRICE = 25_000
CREDITS = 10
STARTS = date(2026, 3, 1)


def _setup(services):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    desks = [
        services.staff.create(name=f"Desk {i}", role="admin", **acting(None)).value.id
        for i in range(race.PROCESSES)
    ]
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    return owner, desks, kind


def _member(services, n, owner):
    return services.members.create(first_name="Ann", last_name=f"R{n}", **acting(owner)).value.id


def act(services, index, task):
    action, target, desk = task
    if action == "void":
        result = services.sales.void_lot(target, reason="race", **acting(desk)).value
        return result.credits_removed, result.refunded_cents
    if action == "assign":
        member, plan = target
        return services.sales.assign_plan(
            member_id=MemberId(member), plan_id=plan, starts_on=STARTS, **acting(desk)
        ).value.id
    raise AssertionError(action)


def _refusals(results, expected):
    problems = []
    ok = [r for r in results if r.status == "ok"]
    if len(ok) != 1:
        problems.append(f"{len(ok)} desks succeeded, expected exactly 1")
    for r in results:
        if r.status == "refused" and not r.error.startswith(expected):
            problems.append(f"desk {r.worker} refused with {r.error}, expected {expected}")
    return ok, problems


def test_eight_desks_voiding_the_same_sale_refund_it_once(services, database, backend):
    owner, desks, kind = _setup(services)
    package = services.catalog.save_package(
        name="10 PT",
        appointment_type_id=kind,
        credits=CREDITS,
        price_cents=PRICE,
        validity_days=365,
        **acting(owner),
    ).value.id
    tally = race.Tally("void", backend, describe=lambda worst: f"{worst or 0} refunds at worst")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member(services, n, owner)
            lot = services.sales.sell_package(
                member_id=MemberId(member), package_id=package, paid=True, **acting(owner)
            ).value.lot.id
            results = running.race([("void", lot, desk) for desk in desks])
            ok, problems = _refusals(results, "InvalidState")
            if ok and ok[0].value != (CREDITS, PRICE):
                problems.append(f"the void removed/refunded {ok[0].value}")
            with database.read() as session:
                remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot))
                ledger = session.scalar(
                    select(func.coalesce(func.sum(CreditEntry.delta), 0)).where(
                        CreditEntry.lot_id == lot
                    )
                )
                adjusts = session.scalar(
                    select(func.count()).where(
                        CreditEntry.lot_id == lot, CreditEntry.kind == EntryKind.ADJUST.value
                    )
                )
                refunds = session.scalar(
                    select(func.count()).where(
                        AccountEntry.member_id == member, AccountEntry.kind == "credit"
                    )
                )
            balance = services.account.balance(MemberId(member))
            if remaining != 0 or ledger != 0 or adjusts != 1:
                problems.append(f"lot left {remaining}, ledger {ledger}, {adjusts} adjustments")
            if refunds != 1 or balance != PRICE:
                problems.append(f"{refunds} refunds, balance {race.dollars(balance)}")
            tally.record(results, problems, measure=refunds)
    tally.report()


def test_eight_desks_assigning_the_same_plan_create_one_subscription(services, database, backend):
    owner, desks, kind = _setup(services)
    plan = services.catalog.save_plan(
        name="Monthly PT",
        period="month",
        price_cents=PRICE,
        credits=[(kind, 4)],
        billing_day=1,
        **acting(owner),
    ).value.id
    tally = race.Tally(
        "assign plan", backend, describe=lambda worst: f"{worst or 0} subscriptions at worst"
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member(services, n, owner)
            results = running.race([("assign", (member, plan), desk) for desk in desks])
            _ok, problems = _refusals(results, "ValidationError")
            with database.read() as session:
                rows = session.scalar(
                    select(func.count()).where(
                        Subscription.member_id == member, Subscription.plan_id == plan
                    )
                )
            if rows != 1:
                problems.append(f"{rows} subscriptions to the plan, expected 1")
            tally.record(results, problems, measure=rows)
    tally.report()
