"""Eight desks undo the same no-show at once: one undoes it, the credit comes back once.

Each round a member with one credit has a session that started an hour or more
ago, marked a no-show (its credit forfeited). Eight admins, one per process,
undo it at the same moment. The appointment row is locked before its status is
read, so exactly one undo goes through and the other seven are refused with
InvalidState ("already booked"). After every round: one reverse entry naming
the forfeit, the appointment booked, the credit reserved by the booking (booked
1, used 0, open 0), and the lot's remaining equal to the sum of its entries.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from desk.models import CreditEntry, CreditLot
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _no_show(services, n, kind, coach):
    member = services.members.create(first_name="Ann", last_name=f"Round {n}", **acting(None))
    member_id = MemberId(member.value.id)
    services.credits.add_credits(
        member_id=member_id, appointment_type_id=AppointmentTypeId(kind), quantity=1,
        expires_on=None, **acting(None),
    )  # fmt: skip
    appt = services.booking.book(
        member_id=member_id, appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=race.NOW - timedelta(hours=n + 1),
        allow_past=True, **acting(None),
    ).value  # fmt: skip
    services.booking.no_show(AppointmentId(appt.id), **acting(None))
    return member_id, appt.id, appt.lot_id


def _undo(services, appointment, desk):
    return services.booking.undo_status(
        AppointmentId(appointment), reason="she was there", **acting(desk)
    ).value.status.value


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    """Undo the no-show at one desk; the appointment's status afterwards."""
    _action, appointment, desk = task
    return _undo(services, appointment, desk)


def _check(services, database, results, member, appointment, lot):
    problems = []
    ok = [r for r in results if r.status == "ok"]
    if len(ok) != 1:
        problems.append(f"{len(ok)} desks undid the no-show (expected exactly 1)")
    for r in results:
        if r.status == "refused" and not r.error.startswith("InvalidState"):
            problems.append(f"desk {r.worker} was refused for another reason: {r.error}")
    with database.read() as session:
        kinds = list(
            session.scalars(
                select(CreditEntry.kind)
                .where(CreditEntry.appointment_id == appointment)
                .order_by(CreditEntry.id)
            )
        )
        remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot))
        total = session.scalar(select(func.sum(CreditEntry.delta)).where(CreditEntry.lot_id == lot))
    reverses = kinds.count("reverse")
    if kinds != ["book", "forfeit", "reverse"]:
        problems.append(f"entries {kinds} (expected book, forfeit, reverse)")
    if remaining != total:
        problems.append(f"lot remaining {remaining} but entries sum to {total}")
    [row] = services.credits.balances(member)
    if (row.open, row.booked, row.used) != (0, 1, 0):
        problems.append(f"open/booked/used {row.open}/{row.booked}/{row.used} (expected 0/1/0)")
    status = services.booking.get(AppointmentId(appointment)).status.value
    if status != "booked":
        problems.append(f"the appointment is {status}")
    return problems, reverses


def test_eight_desks_undoing_one_no_show_undo_it_once(services, database, backend):
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    coach = _staff(services, "Kim", "coach")
    desks = [_staff(services, f"Admin {i}", "admin") for i in range(race.PROCESSES)]
    tally = race.Tally(
        "undo no-show",
        backend,
        describe=lambda worst: f"at most {worst} reverse entries on one appointment",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, appointment, lot = _no_show(services, n, kind, coach)
            results = running.race([("undo", appointment, desk) for desk in desks])
            problems, reverses = _check(services, database, results, member, appointment, lot)
            tally.record(results, problems, measure=reverses)
    tally.report()
