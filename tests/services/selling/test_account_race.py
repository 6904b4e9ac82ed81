"""Account credit spent several times: eight desks sell to one member at once.

The member has $400 of account credit. Eight desks sell the same $250 package
at the same moment, "paid at the desk": the sale charges the account, credit
pays first (``post_charge``), and whatever is still owed is paid there and
then. Done one after the other, the first sale takes $250 from the credit, the
second the remaining $150 (and $100 is paid at the desk), the other six are
paid in full at the desk: $400 paid from credit in all, and the balance ends
at $0.

So after every round: the receipts' "paid from credit" add up to exactly
min($400, 8 x $250) = $400, each receipt's credit part and owed part add up to
its price and what was owed was paid, and the balance (the sum of the
account's entries) is the opening $400 minus what the credit paid: $0, never
below. Before post_charge locked the member row (account.locked_balance),
PostgreSQL (READ COMMITTED) let every desk read the same $400 before any
charge was committed: 49 of 50 rounds broke, the balance going as low as
-$1,500, with receipts saying "paid from credit" for credit that was gone.
"""

from __future__ import annotations

from sqlalchemy import func, select

from desk.models import AccountEntry
from desk.services.core.ids import MemberId
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
CREDIT = 40_000
PRICE = 25_000

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _type(services, name):
    return services.appointment_types.create(
        name=name, duration_minutes=60, **acting(None)
    ).value.id


def _package(services, kind, owner):
    return services.catalog.save_package(
        name="10 PT",
        appointment_type_id=kind,
        credits=10,
        price_cents=PRICE,
        validity_days=365,
        **acting(owner),
    ).value.id


def _member(services, name, owner):
    return services.members.create(first_name="Ann", last_name=name, **acting(owner)).value.id


def _add_credit(services, member, cents, owner):
    services.account.add_credit(MemberId(member), cents, note="prepaid", **acting(owner))


def _sell(services, member, package, desk):
    return services.sales.sell_package(
        member_id=MemberId(member), package_id=package, paid=True, **acting(desk)
    ).value


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    """Sell the package at one desk; the receipt's figures."""
    _action, member, package, desk = task
    sale = _sell(services, member, package, desk)
    charge = sale.charge
    return (
        charge.charged_cents,
        charge.paid_from_credit_cents,
        charge.owed_cents,
        charge.balance_after_cents,
        sale.paid_cents,
    )


def _ledger(database, member):
    """(balance, charges, payments and credits) from the member's account entries."""
    with database.read() as session:
        rows = dict(
            session.execute(
                select(AccountEntry.kind, func.sum(AccountEntry.amount_cents))
                .where(AccountEntry.member_id == member)
                .group_by(AccountEntry.kind)
            ).all()
        )
    return sum(rows.values()), rows.get("charge", 0), rows.get("payment", 0)


def _check(results, opening, ledger):
    problems = []
    sales = [r for r in results if r.status == "ok"]
    for r in results:
        if r.status == "refused":
            problems.append(f"desk {r.worker} was refused: {r.error}")
    from_credit = sum(r.value[1] for r in sales)
    expected = min(opening, PRICE * len(results))
    if from_credit != expected:
        problems.append(
            f"receipts say {race.dollars(from_credit)} paid from credit; the member had "
            f"{race.dollars(opening)} (expected exactly {race.dollars(expected)})"
        )
    for r in sales:
        charged, credit, owed, _after, paid = r.value
        if charged != PRICE or credit + owed != charged or paid != owed or credit < 0:
            problems.append(f"desk {r.worker}: receipt doesn't add up: {r.value}")
    balance, charges, payments = ledger
    if charges != -PRICE * len(sales):
        problems.append(f"charges sum to {race.dollars(charges)} for {len(sales)} sales")
    if payments != sum(r.value[4] for r in sales):
        problems.append(f"payments sum to {race.dollars(payments)}, receipts say otherwise")
    if balance != opening - from_credit:
        problems.append(f"balance {race.dollars(balance)} isn't opening - paid from credit")
    if balance < 0:
        problems.append(f"balance went to {race.dollars(balance)} with everything owed paid")
    return problems


def test_eight_desks_selling_against_the_same_account_credit_spend_it_once(
    services, database, backend
):
    owner = _staff(services, "Owner", "owner")
    desks = [_staff(services, f"Desk {i}", "front_desk") for i in range(race.PROCESSES)]
    package = _package(services, _type(services, "Personal training"), owner)
    tally = race.Tally(
        "account spend",
        backend,
        describe=lambda worst: f"balance went to {race.dollars(worst)} at worst",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member(services, f"Round {n}", owner)
            _add_credit(services, member, CREDIT, owner)
            opening = services.account.balance(MemberId(member))
            results = running.race([("sell", member, package, desk) for desk in desks])
            ledger = _ledger(database, member)
            tally.record(results, _check(results, opening, ledger), measure=ledger[0])
    tally.report()
