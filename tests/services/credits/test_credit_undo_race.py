"""Undo raced: eight desks undoing one action at once, and desks booking from a lot while
others undo its Add Credits (issue 18, item 11; docs/concurrency.md).

Same action: an adjustment took 4 credits off a lot of 10; eight desks undo it at once.
Exactly one gives the 4 back, seven are refused ("undone already"); the lot holds 10,
its cache equals its entries, and there is one ``credits.undo`` row. (Giving credits
back is an unconditional add, so only the undo's guard, the audit event's row lock and
the look for an earlier undo after it, keeps a second desk from giving them again.)

Booking against the undo: a lot of 4 just added; four desks book from it while four
undo the Add Credits. Either one undo empties the lot and every booking is refused, or
bookings go first and every undo is refused; never both, never two undos.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from desk.models import Appointment, AuditEvent, CreditEntry, CreditLot
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import as_staff
from tests.services import race_harness as race
from tests.services.credits.test_credit_life_race import _setup
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)


def act(services, index, task):
    action, args, desk = task
    if action == "undo":
        return services.credit_undo.undo(args, **acting(desk)).value.event_id
    if action == "book":
        member, kind, staff, starts = args
        return services.booking.book(
            member_id=MemberId(member),
            appointment_type_id=AppointmentTypeId(kind),
            staff_id=StaffId(staff),
            starts_at=starts,
            **acting(desk),
        ).value.id
    raise AssertionError(action)


def _lot(services, member, kind, owner, quantity):
    return services.credits.add_credits(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        quantity=quantity, expires_on=None, **acting(owner),
    ).value.id  # fmt: skip


def _ledger(session, lot_id):
    remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot_id))
    entries = session.scalar(
        select(func.coalesce(func.sum(CreditEntry.delta), 0)).where(CreditEntry.lot_id == lot_id)
    )
    return remaining, entries


def _undo_rows(session, event_id):
    return session.scalar(
        select(func.count()).where(
            AuditEvent.action == "credits.undo", AuditEvent.entity_id == event_id
        )
    )


def test_eight_desks_undoing_one_adjustment_give_the_credits_back_once(services, database, backend):
    owner, desks, kind = _setup(services)
    tally = race.Tally(
        "undo the same adjustment",
        backend,
        describe=lambda worst: f"{worst or 0} undos of one adjustment at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = services.members.create(
                first_name=f"Adj{n}", last_name="R", **acting(owner)
            ).value.id
            lot = _lot(services, member, kind, owner, 10)
            services.credits.adjust(member_id=MemberId(member),
                                    appointment_type_id=AppointmentTypeId(kind), delta=-4,
                                    reason="stocktake", **acting(owner))  # fmt: skip
            token = services.credit_undo.last_action(member, by=as_staff(owner))
            assert token is not None
            results = running.race([("undo", token.event_id, desk) for desk in desks])
            ok = [r for r in results if r.status == "ok"]
            problems = [] if len(ok) == 1 else [f"{len(ok)} desks undid it, expected 1"]
            problems += [
                f"desk {r.worker}: {r.error}"
                for r in results
                if r.status == "refused" and "undone already" not in r.error
            ]
            with database.read() as session:
                remaining, entries = _ledger(session, lot)
                rows = _undo_rows(session, token.event_id)
            if remaining != 10 or entries != 10:
                problems.append(f"the lot holds {remaining} (entries {entries}), expected 10")
            if rows != 1:
                problems.append(f"{rows} undo audit rows")
            tally.record(results, problems, measure=len(ok))
    tally.report()


def test_bookings_and_undos_of_the_add_credits_never_both_win(services, database, backend):
    owner, desks, kind = _setup(services)
    coaches = [services.staff.create(name=f"Coach {i}", **acting(None)).value.id for i in range(4)]
    tally = race.Tally(
        "book vs undo add credits",
        backend,
        describe=lambda worst: f"{worst or 0} credits spent twice at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = services.members.create(
                first_name=f"Book{n}", last_name="R", **acting(owner)
            ).value.id
            lot = _lot(services, member, kind, owner, 4)
            token = services.credit_undo.last_action(member, by=as_staff(owner))
            assert token is not None
            starts = at_local(2026, 4, 1, 8) + timedelta(days=n)
            tasks = [
                ("book", (member, kind, coaches[i], starts + timedelta(hours=i)), desks[i])
                for i in range(4)
            ]
            tasks += [("undo", token.event_id, desk) for desk in desks[4:]]
            results = running.race(tasks)
            undone = [r for r in results if r.task[0] == "undo" and r.status == "ok"]
            booked_ok = [r for r in results if r.task[0] == "book" and r.status == "ok"]
            problems = [f"desk {r.worker} crashed: {r.error}" for r in results
                        if r.status == "error"]  # fmt: skip
            if len(undone) > 1:
                problems.append(f"{len(undone)} undos went through")
            if undone and booked_ok:
                problems.append(f"undone and {len(booked_ok)} bookings paid by it")
            if not undone and len(booked_ok) != 4:
                problems.append(f"no undo, but only {len(booked_ok)} of 4 bookings")
            with database.read() as session:
                remaining, entries = _ledger(session, lot)
                booked = session.scalar(select(func.count()).where(Appointment.lot_id == lot))
                rows = _undo_rows(session, token.event_id)
            if remaining != entries or (remaining or 0) < 0:
                problems.append(f"the lot holds {remaining}, its entries {entries}")
            taken = 4 if undone else 0
            if (booked or 0) + taken + (remaining or 0) != 4:
                problems.append(f"{booked} booked + {taken} undone + {remaining} left != 4")
            if rows != len(undone):
                problems.append(f"{rows} undo audit rows for {len(undone)} undos")
            tally.record(results, problems, measure=(booked or 0) + taken - 4 + (remaining or 0))
    tally.report()
