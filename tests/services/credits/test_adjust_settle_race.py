"""Four desks book a member unpaid while four others add one credit each with Adjust +1
on the member's used-up lot: after every round no unpaid booking is left next to an
open credit.

Each round a new member has one lot of the type with its one credit spent, so it is
still open but holds nothing: an increase goes onto that lot (credits._increase) and
then settles the member's unpaid bookings. Desks 0-3 each book one session unpaid
(each with their own coach, so no staff lock orders them), desks 4-7 each adjust +1.
Four credits and four bookings: whatever the order, every booking ends up paid and
no credit is left open. The guard is the member's row lock: a booking about to owe
a credit takes it and looks again; the adjustment's settle takes it before reading
the owing bookings. After each round: unpaid 0, open 0, booked 5, the ledger verifies.
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


def _member_with_a_spent_lot(services, n, kind, coach):
    member = services.members.create(first_name="Ade", last_name=f"Round {n}", **acting(None))
    member_id = MemberId(member.value.id)
    services.credits.add_credits(
        member_id=member_id, appointment_type_id=AppointmentTypeId(kind), quantity=1,
        expires_on=None, **acting(None),
    )  # fmt: skip
    services.booking.book(
        member_id=member_id, appointment_type_id=AppointmentTypeId(kind), staff_id=StaffId(coach),
        starts_at=race.NOW + timedelta(days=n + 1, hours=-2), **acting(None),
    )  # fmt: skip
    return int(member_id)


def _book_unpaid(services, member, kind, coach, starts_at):
    return services.booking.book(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=starts_at, unpaid=True, **acting(None),
    ).value.unpaid  # fmt: skip


def _adjust_up(services, member, kind):
    return services.credits.adjust(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind), delta=1,
        reason="race: one more credit", **acting(None),
    ).value.open  # fmt: skip


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    if task[0] == "book":
        _action, member, kind, coach, starts_at = task
        return _book_unpaid(services, member, kind, coach, starts_at)
    _action, member, kind = task
    return _adjust_up(services, member, kind)


def _check(services, results, member):
    return no_unpaid_next_to_a_credit(services, results, member, BOOKERS + 1)


def test_unpaid_bookings_and_adjustments_racing_leave_no_unpaid_next_to_a_credit(
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
        "unpaid bookings vs Adjust +1",
        backend,
        describe=lambda worst: f"at most {worst} unpaid bookings left next to open credits",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member_with_a_spent_lot(services, n, kind, coaches[0])
            start = race.NOW + timedelta(days=n + 1)
            tasks = [
                ("book", member, kind, coach, start + timedelta(hours=i))
                for i, coach in enumerate(coaches)
            ] + [("adjust", member, kind)] * (race.PROCESSES - BOOKERS)
            results = running.race(tasks)
            problems, measure = _check(services, results, member)
            tally.record(results, problems, measure=measure)
    tally.report()
