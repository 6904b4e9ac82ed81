"""Shared pools raced: a member taken out of the pool while desks book them from it,
and the members of a pool all booking its last credit at once.

Removal: seven desks book one member of a pool (no credits of their own, so
every booking pays from the pool) while the eighth takes them out of it. The
removal counts, in its own transaction, the member's bookings the pool paid
(``bookings_kept``); at the end the member has exactly that many pool-paid
bookings, so none landed after they left. A booking's take holds the member's
pool membership (``pool_lots.still_payable``): without that, a booking that
read its lots before the removal committed could still take from the pool
after it (the figure without the guard is in docs/concurrency.md).

Last credit: eight members of one pool book its last credit at the same moment
with eight coaches: exactly one wins, seven are refused, the lot ends at zero
and its cache equals its entries.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from desk.models import Appointment, AppointmentStatus, CreditEntry, CreditLot
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)


def _setup(services):
    desks = [
        services.staff.create(name=f"Desk {i}", role="admin", **acting(None)).value.id
        for i in range(race.PROCESSES)
    ]
    coaches = [
        services.staff.create(name=f"Coach {i}", **acting(None)).value.id
        for i in range(race.PROCESSES)
    ]
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    return desks, coaches, kind


def _pool(services, n, size, kind, credits):
    members = [
        services.members.create(first_name=f"M{i}", last_name=f"Pool{n}", **acting(None)).value.id
        for i in range(size)
    ]
    pool = services.pools.create(f"Pool {n}", [MemberId(m) for m in members], **acting(None))
    lot = services.credits.add_credits(
        member_id=MemberId(members[0]),
        appointment_type_id=AppointmentTypeId(kind),
        quantity=credits,
        expires_on=None,
        pool_id=pool.value.id,
        **acting(None),
    ).value.id
    return pool.value.id, members, lot


def act(services, index, task):
    action, args, desk = task
    if action == "book":
        member, kind, staff, starts = args
        return services.booking.book(
            member_id=MemberId(member),
            appointment_type_id=AppointmentTypeId(kind),
            staff_id=StaffId(staff),
            starts_at=starts,
            **acting(desk),
        ).value.id
    if action == "remove":
        pool, member = args
        return services.pools.remove_member(
            pool, MemberId(member), **acting(desk)
        ).value.bookings_kept
    raise AssertionError(action)


def _lot_problems(session, lot):
    remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot))
    entries = session.scalar(
        select(func.coalesce(func.sum(CreditEntry.delta), 0)).where(CreditEntry.lot_id == lot)
    )
    if remaining != entries or remaining < 0:
        return [f"lot {lot} holds {remaining}, its entries {entries}"]
    return []


def test_a_member_removed_while_booking_from_the_pool_books_nothing_after(
    services, database, backend
):
    desks, coaches, kind = _setup(services)
    tally = race.Tally(
        "pool removal vs booking",
        backend,
        describe=lambda worst: f"{worst or 0} pool bookings after the removal at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            pool, (_buyer, member), lot = _pool(services, n, 2, kind, 10)
            starts = at_local(2026, 4, 1, 6) + timedelta(days=n)
            tasks = [("remove", (pool, member), desks[0])]
            tasks += [
                ("book", (member, kind, coaches[i], starts + timedelta(hours=i)), desks[i + 1])
                for i in range(race.PROCESSES - 1)
            ]
            results = running.race(tasks)
            [removal] = [r for r in results if r.task[0] == "remove"]
            problems = [f"removal: {removal.error}"] if removal.status != "ok" else []
            problems += [
                f"desk {r.worker}: {r.error}"
                for r in results
                if r.status == "refused" and not r.error.startswith("InsufficientCredits")
            ]
            with database.read() as session:
                paid = (
                    session.scalar(
                        select(func.count(Appointment.id)).where(
                            Appointment.member_id == member,
                            Appointment.lot_id == lot,
                            Appointment.status == AppointmentStatus.BOOKED.value,
                        )
                    )
                    or 0
                )
                problems += _lot_problems(session, lot)
            kept = removal.value if removal.status == "ok" else paid
            if paid != kept:
                problems.append(f"{paid} pool bookings, {kept} when the member left")
            tally.record(results, problems, measure=paid - kept)
    tally.report()


def test_eight_members_of_a_pool_book_its_last_credit_and_one_wins(services, database, backend):
    desks, coaches, kind = _setup(services)
    tally = race.Tally(
        "pool last credit",
        backend,
        describe=lambda worst: f"{worst or 0} bookings of the last credit at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            _pool_id, members, lot = _pool(services, n, race.PROCESSES, kind, 1)
            starts = at_local(2026, 4, 1, 8) + timedelta(days=n)
            tasks = [
                ("book", (members[i], kind, coaches[i], starts), desks[i])
                for i in range(race.PROCESSES)
            ]
            results = running.race(tasks)
            ok = [r for r in results if r.status == "ok"]
            problems = [] if len(ok) == 1 else [f"{len(ok)} desks booked the last credit"]
            problems += [
                f"desk {r.worker}: {r.error}"
                for r in results
                if r.status == "refused" and not r.error.startswith("InsufficientCredits")
            ]
            with database.read() as session:
                booked = session.scalar(select(func.count()).where(Appointment.lot_id == lot))
                problems += _lot_problems(session, lot)
            if booked != 1:
                problems.append(f"{booked} appointments paid by the last credit")
            tally.record(results, problems, measure=booked)
    tally.report()
