"""Bookings raced against the expiry run, which lists the lots due before it writes.

``expire_due`` lists the lots due in a read of its own, then expires them a batch
at a time (``expiry.BATCH``; one lot a batch here, so each run is three write
transactions), each batch reading its lots again under a row lock before it writes
their entries and audit events (desk/services/credits/expiry.py). Each round one
member holds two lots expiring on 5 March (3 and 2 credits) and another member one
(2 credits); four desks book the first member's sessions of 5 March while four run
the expiry as of 6 March. After every round: no lot below zero or with anything
left, every credit of a lot either booked or expired (never both, never neither),
one expire entry at most per lot and its audit event saying what it took, each
lot's cached balance equal to its entries, and the runs' counts adding up to the
lots expired.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from sqlalchemy import func, select

from desk.models import Appointment, AuditEvent, CreditEntry, CreditLot, EntryKind
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.credits import expiry
from tests.services import race_harness as race
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
OLD = date(2026, 3, 5)
RUN_ON = date(2026, 3, 6)


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
    if action == "expire":
        time.sleep(args)  # a few ms after the bookings set off, different each round
        # One lot a batch, so a run writes several transactions with bookings between
        # them; put back after, as the desk processes serve other tests next.
        batch, expiry.BATCH = expiry.BATCH, 1
        try:
            return services.credits.expire_due(RUN_ON, **acting(desk)).value
        finally:
            expiry.BATCH = batch
    raise AssertionError(action)


def _lot(services, member, kind, owner, quantity):
    return services.credits.add_credits(
        member_id=MemberId(member),
        appointment_type_id=AppointmentTypeId(kind),
        quantity=quantity,
        expires_on=OLD,
        price_cents=1_000 * quantity,
        note="race",
        **acting(owner),
    ).value.id


def _lot_problems(session, lot, quantity):
    """What is wrong with one lot after the round; how many of its credits expired."""
    remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot))
    entries = session.scalar(
        select(func.coalesce(func.sum(CreditEntry.delta), 0)).where(CreditEntry.lot_id == lot)
    )
    expires = session.scalars(
        select(CreditEntry.delta).where(
            CreditEntry.lot_id == lot, CreditEntry.kind == EntryKind.EXPIRE.value
        )
    ).all()
    audited = session.scalars(
        select(AuditEvent.before).where(
            AuditEvent.entity_id == lot, AuditEvent.action == "credits.expire"
        )
    ).all()
    booked = session.scalar(select(func.count()).where(Appointment.lot_id == lot)) or 0
    expired = -sum(expires)
    problems = []
    if remaining != entries or remaining < 0 or remaining != 0:
        problems.append(f"lot {lot} holds {remaining}, its entries {entries}")
    if booked + expired != quantity:
        problems.append(f"lot {lot}: {booked} booked + {expired} expired != {quantity}")
    if len(expires) > 1 or [a["remaining"] for a in audited] != [-d for d in expires]:
        problems.append(f"lot {lot}: expire entries {expires}, audited {audited}")
    return problems, len(expires)


def test_bookings_and_expiry_runs_move_each_credit_once(services, database, backend):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    desks = [
        services.staff.create(name=f"Desk {i}", role="admin", **acting(None)).value.id
        for i in range(race.PROCESSES)
    ]
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    tally = race.Tally(
        "booking vs expiry",
        backend,
        describe=lambda worst: f"{worst or 0} credits off at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, other = (
                services.members.create(first_name=name, last_name="R", **acting(owner)).value.id
                for name in (f"Booker{n}", f"Other{n}")
            )
            lots = {
                _lot(services, member, kind, owner, 3): 3,
                _lot(services, member, kind, owner, 2): 2,
                _lot(services, other, kind, owner, 2): 2,
            }
            coaches = [
                services.staff.create(name=f"Coach {n}.{i}", **acting(None)).value.id
                for i in range(4)
            ]
            starts = at_local(2026, 3, 5, 8)
            tasks = [
                ("book", (member, kind, coaches[i], starts + timedelta(hours=i)), desks[i])
                for i in range(4)
            ]
            delay = (n % 10) * 0.008  # expiry alone won nearly every race from the start
            tasks += [("expire", delay, desk) for desk in desks[4:]]
            results = running.race(tasks)
            problems = [
                f"desk {r.worker}: {r.error}"
                for r in results
                if r.status == "refused" and not r.error.startswith("InsufficientCredits")
            ]
            expired_lots, off = 0, 0
            with database.read() as session:
                for lot, quantity in lots.items():
                    wrong, expired = _lot_problems(session, lot, quantity)
                    problems += wrong
                    off += len(wrong)
                    expired_lots += expired
            counted = sum(r.value for r in results if r.task[0] == "expire" and r.status == "ok")
            if counted != expired_lots:
                problems.append(f"the runs counted {counted} lots, {expired_lots} expired")
            tally.record(results, problems, measure=off)
    tally.report()
