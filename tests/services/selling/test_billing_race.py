"""Billing runs at the same time: each period billed once, roll-over never duplicates credits.

The plan: monthly on the 1st, $250, four PT credits a period, unused credits
roll over (no cap). Each round four new members start on it on 1 March and
the parent bills March (four credits and one $250 charge each). Then all at
once:

* ``test_eight_desks_billing_at_once_bill_each_period_once``: eight desks run
  the billing, four through 1 April and four through 1 May. (The parent first
  books some of each member's March credits, so different amounts roll over.)
* ``test_billing_while_desks_book_never_rolls_over_credits_it_did_not_take``
  and ``test_a_booking_racing_the_billing_run_is_not_refused_while_credits_are_left``:
  four desks run the billing through 1 April while four desks each book one
  of the members in March, on the March lot that the roll-over empties.

After every round, per member: each due period is billed once (one billing
period row and one $250 charge each; the desks' reports add up to the
periods due), the credits carried over equal what the roll-over took off the
previous lot (so the member holds exactly four credits per billed period,
open or booked, and the roll-over adjustments sum to zero), every lot's cache
equals its entries and nothing is negative; no desk crashes.

What the code did on PostgreSQL before each was fixed (the tests were strict
xfails there until then):

* The roll-over reads the March lot's ``remaining``, takes it with a
  conditional update and, when that take fails because a booking got in
  between, still opens the carried-over lot: the member ends with four
  credits nobody paid for.
* The booking that got in between read its usable lots before the billing
  committed; when the roll-over empties the March lot, it finds nothing else
  in what it read and says "no open credit" to a member with eight.
* Billing runs racing each other never bill twice or duplicate a roll-over
  (the billing period's unique key makes the loser wait, fail and run again),
  but a run that loses that key twice (April to one desk, then May to
  another) gives up with the raw IntegrityError: retry_transient allows two
  attempts on a duplicate key.

The fixes: the roll-over takes the old lot's credits with ledger.take_or_raise
(a lost take reruns the whole run on fresh reads); a booking whose take is
lost reruns too and finds the new lots; a billing run locks the subscriptions
it bills, so a second run waits and then sees the periods already billed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from desk.models import (
    AccountEntry,
    Appointment,
    BillingPeriod,
    CreditEntry,
    CreditLot,
    Subscription,
)
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
MEMBERS = 4  # new members on the plan each round
PER_PERIOD = 4
PRICE = 25_000
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)
RACE_SLOT = at_local(2026, 3, 5, 6)  # the desks' bookings, one hour per round
HOUSE_SLOT = at_local(2026, 3, 15, 0)  # the parent's bookings before a round

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _type(services, name):
    return services.appointment_types.create(
        name=name, duration_minutes=60, **acting(None)
    ).value.id


def _plan(services, kind, owner):
    return services.catalog.save_plan(
        name="Monthly PT",
        period="month",
        billing_day=1,
        price_cents=PRICE,
        credits=[(kind, PER_PERIOD)],
        unused="roll_over",
        rollover_cap=None,
        **acting(owner),
    ).value.id


def _member(services, name, owner):
    return services.members.create(first_name="Ann", last_name=name, **acting(owner)).value.id


def _assign(services, member, plan, owner):
    services.sales.assign_plan(
        member_id=MemberId(member), plan_id=plan, starts_on=MARCH, **acting(owner)
    )


def _bill(services, through, desk):
    return services.sales.run_billing(through=through, **acting(desk)).value


def _book(services, member, kind, coach, starts_at, desk):
    return services.booking.book(
        member_id=MemberId(member),
        appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach),
        starts_at=starts_at,
        **acting(desk),
    ).value


def _archive(services, member, owner):
    services.members.archive(MemberId(member), **acting(owner))


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    if task[0] == "bill":
        _action, through, desk = task
        report = _bill(services, through, desk)
        return report.periods_billed, report.charged_cents
    _action, member, kind, coach, starts_at, desk = task
    return _book(services, member, kind, coach, starts_at, desk).lot_id


# --- the invariant -----------------------------------------------------------------------------


def _member_state(database, member):
    with database.read() as session:
        sub = session.scalar(select(Subscription.id).where(Subscription.member_id == member))
        periods = session.execute(
            select(BillingPeriod.id, BillingPeriod.period_start).where(
                BillingPeriod.subscription_id == sub
            )
        ).all()
        charges = session.execute(
            select(AccountEntry.billing_period_id, AccountEntry.amount_cents).where(
                AccountEntry.member_id == member, AccountEntry.kind == "charge"
            )
        ).all()
        lots = session.execute(
            select(
                CreditLot.id,
                CreditLot.remaining,
                func.coalesce(func.sum(CreditEntry.delta), 0),
            )
            .outerjoin(CreditEntry, CreditEntry.lot_id == CreditLot.id)
            .where(CreditLot.member_id == member)
            .group_by(CreditLot.id, CreditLot.remaining)
        ).all()
        adjusted = session.scalar(
            select(func.coalesce(func.sum(CreditEntry.delta), 0))
            .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
            .where(CreditLot.member_id == member, CreditEntry.kind == "adjust")
        )
        booked = session.scalar(
            select(func.count(Appointment.id)).where(
                Appointment.member_id == member, Appointment.lot_id.is_not(None)
            )
        )
    return periods, charges, lots, int(adjusted or 0), int(booked or 0)


def _check(database, results, members, due):
    """What is wrong with billing and roll-over after a round (refused bookings aside),
    and the most credits a member held beyond PER_PERIOD per billed period (0 is right)."""
    problems = []
    for r in results:
        if r.status == "refused" and r.task[0] == "bill":
            problems.append(f"desk {r.worker}'s billing run was refused: {r.error}")
    billed = sum(r.value[0] for r in results if r.task[0] == "bill" and r.status == "ok")
    if billed != len(members) * (len(due) - 1):  # March was billed before the round
        problems.append(f"the desks billed {billed} periods; {len(members) * (len(due) - 1)} due")
    most = 0
    for member in members:
        periods, charges, lots, adjusted, booked = _member_state(database, member)
        starts = sorted(start for _id, start in periods)
        if starts != due:
            problems.append(f"member {member}: billing periods {starts}")
        by_period = sorted((period or 0) for period, _amount in charges)
        if by_period != sorted(pid for pid, _start in periods) or any(
            amount != -PRICE for _period, amount in charges
        ):
            problems.append(f"member {member}: charges {charges} for periods {periods}")
        held = sum(remaining for _lot, remaining, _total in lots) + booked
        most = max(most, held - PER_PERIOD * len(periods))
        if held != PER_PERIOD * len(periods):
            problems.append(
                f"member {member}: holds {held} credits (open + booked) where "
                f"{PER_PERIOD * len(periods)} were billed"
            )
        if adjusted != 0:
            problems.append(f"member {member}: roll-over adjustments sum to {adjusted:+d}, not 0")
        for lot, remaining, total in lots:
            if remaining != total or remaining < 0:
                problems.append(f"lot {lot}: remaining {remaining} but entries sum to {total}")
    return problems, most


def _setup(services):
    kind = _type(services, "Personal training")
    owner = _staff(services, "Owner", "owner")
    desks = [_staff(services, f"Desk {i}", "admin") for i in range(race.PROCESSES)]
    coaches = [_staff(services, f"Coach {i}", "coach") for i in range(race.PROCESSES)]
    return kind, owner, desks, coaches, _plan(services, kind, owner)


def _new_members(services, n, plan, owner):
    members = [_member(services, f"Round {n} #{j}", owner) for j in range(MEMBERS)]
    for member in members:
        _assign(services, member, plan, owner)
    _bill(services, MARCH, owner)  # March for this round's members (earlier ones are archived)
    return members


def _credits_held(worst):
    return f"a member held {worst} credits more than were billed, at worst"


def test_eight_desks_billing_at_once_bill_each_period_once(services, database, backend):
    """Half the desks bill through 1 April, half through 1 May, all at once."""
    kind, owner, desks, coaches, plan = _setup(services)
    rng = random.Random(3)
    tally = race.Tally("billing vs billing", backend, describe=_credits_held, worse="up")
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            members = _new_members(services, n, plan, owner)
            for j, member in enumerate(members):
                for k in range(rng.randint(0, PER_PERIOD)):
                    when = HOUSE_SLOT + timedelta(hours=n * PER_PERIOD + k)
                    _book(services, member, kind, coaches[j], when, owner)
            tasks = [("bill", APRIL if i % 2 else MAY, desk) for i, desk in enumerate(desks)]
            results = running.race(tasks)
            problems, most = _check(database, results, members, [MARCH, APRIL, MAY])
            tally.record(results, problems, measure=most)
            for member in members:
                _archive(services, member, owner)
    tally.report()


def _billing_and_booking(services, database, backend, name, check, describe, worse):
    """Four desks bill through 1 April while four book one member each in March."""
    kind, owner, desks, coaches, plan = _setup(services)
    tally = race.Tally(name, backend, describe=describe, worse=worse)
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            members = _new_members(services, n, plan, owner)
            when = RACE_SLOT + timedelta(hours=n)
            tasks = []
            for i in range(race.PROCESSES):
                if i % 2 == 0:
                    tasks.append(("bill", APRIL, desks[i]))
                else:
                    tasks.append(("book", members[i // 2], kind, coaches[i], when, desks[i]))
            results = running.race(tasks)
            problems, measure = check(services, database, results, members)
            tally.record(results, problems, measure=measure)
            for member in members:
                _archive(services, member, owner)
    tally.report()


def test_billing_while_desks_book_never_rolls_over_credits_it_did_not_take(
    services, database, backend
):

    def check(_services, database, results, members):
        return _check(database, results, members, [MARCH, APRIL])

    _billing_and_booking(
        services, database, backend, "billing vs booking (roll-over)", check, _credits_held, "up"
    )


def test_a_booking_racing_the_billing_run_is_not_refused_while_credits_are_left(
    services, database, backend
):
    """Booked before the billing run, the booking takes a March credit; after it, an
    April one: either way it is booked. The member never has fewer than four credits."""

    def check(services, _database, results, members):
        problems = []
        for r in results:
            if r.task[0] == "book" and r.status != "ok":
                member = r.task[1]
                left = services.credits.open_credits(MemberId(member), AppointmentTypeId(r.task[2]))
                problems.append(f"desk {r.worker}: {r.error} (member {member} has {left} open)")
        refused = sum(1 for r in results if r.task[0] == "book" and r.status != "ok")
        return problems, refused

    _billing_and_booking(
        services,
        database,
        backend,
        "billing vs booking (refusals)",
        check,
        lambda worst: f"{worst} of {MEMBERS} bookings refused in a round at worst",
        "up",
    )
