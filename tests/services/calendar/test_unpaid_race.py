"""Four desks book a member unpaid while four others add credits to the same member and
type: after every round no unpaid booking is left next to an open credit.

Each round a new member with no credit of the type; desks 0-3 each book one session
unpaid (each with their own coach, so no staff lock orders them), desks 4-7 each add
one credit. Four credits and four bookings, so whatever the order, every booking
ends up paid and no credit is left open: a booking that found no credit owes one,
and the grant that commits after it settles it. The guard is the member's row
lock (settle_unpaid.lock_member): a booking about to owe a credit takes it and
looks for a credit again, a grant takes it before reading the owing bookings.
Without it, on PostgreSQL a booking that read "no credit" while a grant was still
uncommitted stays unpaid next to the credit that grant left (docs/concurrency.md).
After each round: unpaid bookings 0, open credits 0, booked 4, the ledger verifies.
"""

from __future__ import annotations

from datetime import timedelta

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.calendar.unpaid_checks import no_unpaid_next_to_a_credit
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
BOOKERS = 4

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _member(services, n):
    member = services.members.create(first_name="Pat", last_name=f"Round {n}", **acting(None))
    return member.value.id


def _book_unpaid(services, member, kind, coach, starts_at):
    return services.booking.book(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=starts_at, unpaid=True, **acting(None),
    ).value.unpaid  # fmt: skip


def _add_credit(services, member, kind):
    return len(services.credits.add_credits(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind), quantity=1,
        expires_on=None, **acting(None),
    ).value.paid_unpaid)  # fmt: skip


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    if task[0] == "book":
        _action, member, kind, coach, starts_at = task
        return _book_unpaid(services, member, kind, coach, starts_at)
    _action, member, kind = task
    return _add_credit(services, member, kind)


def _check(services, results, member):
    return no_unpaid_next_to_a_credit(services, results, member, BOOKERS)


def test_unpaid_bookings_and_grants_racing_leave_no_unpaid_next_to_a_credit(
    services, database, backend
):
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    coaches = [
        services.staff.create(name=f"Coach {i}", role="coach", **acting(None)).value.id
        for i in range(BOOKERS)
    ]
    tally = race.Tally(
        "unpaid bookings vs grants",
        backend,
        describe=lambda worst: f"at most {worst} unpaid bookings left next to open credits",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member(services, n)
            start = race.NOW + timedelta(days=n + 1)
            tasks = [
                ("book", member, kind, coach, start + timedelta(hours=i))
                for i, coach in enumerate(coaches)
            ] + [("grant", member, kind)] * (race.PROCESSES - BOOKERS)
            results = running.race(tasks)
            problems, measure = _check(services, results, member)
            tally.record(results, problems, measure=measure)
    tally.report()
