"""Ending a plan while desks bill and book: the end is worked out on fresh reads.

Each round a new member starts on Monthly PT ($250, four credits) on 1 March;
assigning it bills March at once. Then all at once:

* ``test_ending_a_plan_while_desks_bill``: four desks end the plan on 1 April
  (a period boundary, so no part period is due after it) refunding its unused
  credits, four run billing through 1 May. Whichever order
  they take, every credit billed is refunded (none is used), so the member ends
  with no open credit and a zero balance, and exactly one end goes through (the
  others find it ending then already). The end locks the subscription row the
  run locks, so a run never bills April or May from a read of the plan before
  its end and leaves credits nobody refunds.
* ``test_ending_a_plan_while_desks_book``: one desk ends the plan on 20 March
  (refund, cancel the bookings after the end) while seven desks book the member
  on March sessions before and after that date. After the round no session on
  or after the 20th is booked, no open credit is left, and the account got
  back exactly the value of the credits no booking before the 20th holds.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from desk.models import Appointment, CreditEntry, CreditLot
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.credits.lot_value import value_of_credits
from desk.services.selling.plan_end import BookingsAtEnd, CreditsAtEnd
from tests.services import race_harness as race
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
PRICE = 25_000
MARCH = date(2026, 3, 1)

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _setup(services):
    kind = services.appointment_types.create(name="PT", duration_minutes=60, **acting(None))
    plan = services.catalog.save_plan(
        name="Monthly PT", period="month", billing_day=1, price_cents=PRICE,
        credits=[(kind.value.id, 4)], **acting(None),
    ).value.id  # fmt: skip
    return kind.value.id, plan


def _on_plan(services, n, plan):
    member = services.members.create(first_name="Ann", last_name=f"Round {n}", **acting(None))
    sub = services.sales.assign_plan(
        member_id=MemberId(member.value.id), plan_id=plan, starts_on=MARCH, **acting(None)
    ).value
    return member.value.id, sub.id


def _end(services, sub, ends_on, desk):
    return services.sales.end_plan(
        sub, ends_on=ends_on, credits=CreditsAtEnd.REFUND, bookings=BookingsAtEnd.CANCEL,
        **acting(desk),
    ).value.refund_cents  # fmt: skip


def _bill(services, desk):
    return services.sales.run_billing(through=date(2026, 5, 1), **acting(desk)).value.periods_billed


def _book(services, member, kind, coach, starts_at, desk):
    return services.booking.book(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=starts_at, **acting(desk),
    ).value.id  # fmt: skip


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    if task[0] == "end":
        return _end(services, *task[1:])
    if task[0] == "bill":
        return _bill(services, task[1])
    return _book(services, *task[1:])


def _ledger(services, database, member):
    problems = []
    with database.read() as session:
        lots = session.execute(
            select(CreditLot.id, CreditLot.remaining, func.coalesce(func.sum(CreditEntry.delta), 0))
            .outerjoin(CreditEntry, CreditEntry.lot_id == CreditLot.id)
            .where(CreditLot.member_id == member)
            .group_by(CreditLot.id, CreditLot.remaining)
        ).all()
    for lot, remaining, total in lots:
        if remaining != total or remaining < 0:
            problems.append(f"lot {lot}: remaining {remaining}, entries sum to {total}")
    [row] = services.credits.balances(MemberId(member))
    if row.open:
        problems.append(f"{row.open} open credit(s) left after a refunding end")
    return problems, row


def _errors(results, *, allowed):
    return [
        f"desk {r.worker} ({r.task[0]}): {r.error}"
        for r in results
        if r.status == "error" or (r.status == "refused" and not r.error.startswith(allowed))
    ]


def test_ending_a_plan_while_desks_bill(services, database, backend):
    _kind, plan = _setup(services)
    desks = [_staff(services, f"Admin {i}", "admin") for i in range(race.PROCESSES)]
    tally = race.Tally(
        "end plan vs billing", backend, describe=lambda worst: f"worst balance {worst} cents",
        worse="down",
    )  # fmt: skip
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, sub = _on_plan(services, n, plan)
            tasks = [("end", sub, date(2026, 4, 1), d) if i % 2 else ("bill", d)
                     for i, d in enumerate(desks)]  # fmt: skip
            results = running.race(tasks)
            problems = _errors(results, allowed=("InvalidState",))
            ends = [r for r in results if r.task[0] == "end" and r.status == "ok"]
            if len(ends) != 1:
                problems.append(f"{len(ends)} desks ended the plan (expected 1)")
            found, _row = _ledger(services, database, member)
            problems += found
            balance = services.account.balance(MemberId(member))
            if balance != 0:
                problems.append(f"balance {balance} (every credit was unused: expected 0)")
            tally.record(results, problems, measure=balance)
    tally.report()


def test_ending_a_plan_while_desks_book(services, database, backend):
    kind, plan = _setup(services)
    coach = _staff(services, "Kim", "coach")
    desks = [_staff(services, f"Desk {i}", "admin") for i in range(race.PROCESSES)]
    tally = race.Tally("end plan vs booking", backend,
                       describe=lambda worst: f"at most {worst} sessions booked after the end",
                       worse="up")  # fmt: skip
    end_on = date(2026, 3, 20)
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, sub = _on_plan(services, n, plan)
            base = at_local(2026, 3, 10, 0) + timedelta(hours=n)
            tasks = [("end", sub, end_on, desks[0])] + [
                ("book", member, kind, coach, base + timedelta(days=3 * i), d)
                for i, d in enumerate(desks[1:], start=1)
            ]  # 3 days apart from 13 March: before and after the end
            results = running.race(tasks)
            problems = _errors(results, allowed=("InsufficientCredits", "Clash"))
            found, _row = _ledger(services, database, member)
            problems += found
            with database.read() as session:
                booked = (
                    session.execute(
                        select(Appointment.starts_at).where(
                            Appointment.member_id == member, Appointment.status == "booked"
                        )
                    )
                    .scalars()
                    .all()
                )
            after = sum(1 for s in booked if s >= at_local(2026, 3, 20, 0))
            if after:
                problems.append(f"{after} session(s) on or after the end still booked")
            expected = -PRICE + value_of_credits(PRICE, 4, 4 - len(booked))
            balance = services.account.balance(MemberId(member))
            if balance != expected:
                problems.append(f"balance {balance}, expected {expected} ({len(booked)} booked)")
            tally.record(results, problems, measure=after)
    tally.report()
