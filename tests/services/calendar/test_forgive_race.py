"""Eight desks forgive the same no-show at once: one forgives it, the credit comes back once.

Each round a member with one credit has a session that started an hour or more
ago, marked a no-show (its credit forfeited). Eight admins, one per process,
forgive it at the same moment. The appointment row is locked before anything is
read, so exactly one forgive goes through and the other seven wait, then find
the release and are refused with InvalidState ("forgiven already"); the unique
release per appointment backs this up. After every round: entries book,
forfeit, release; the appointment still a no-show; open / booked / used 1 / 0 / 0;
the lot's remaining equal to the sum of its entries.
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


def _forgive(services, appointment, desk):
    return services.booking.forgive(
        AppointmentId(appointment), reason="her child was ill", **acting(desk)
    ).value.status.value


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    """Forgive the no-show at one desk; the appointment's status afterwards."""
    _action, appointment, desk = task
    return _forgive(services, appointment, desk)


def _check(services, database, results, member, appointment, lot):
    problems = []
    ok = [r for r in results if r.status == "ok"]
    if len(ok) != 1:
        problems.append(f"{len(ok)} desks forgave the no-show (expected exactly 1)")
    for r in results:
        if r.status == "refused" and not r.error.startswith("InvalidState"):
            problems.append(f"desk {r.worker} was refused for another reason: {r.error}")
        if r.status == "error":
            problems.append(f"desk {r.worker} failed: {r.error}")
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
    if kinds != ["book", "forfeit", "release"]:
        problems.append(f"entries {kinds} (expected book, forfeit, release)")
    if remaining != total or remaining != 1:
        problems.append(f"lot remaining {remaining}, entries sum to {total} (expected 1)")
    [row] = services.credits.balances(member)
    if (row.open, row.booked, row.used) != (1, 0, 0):
        problems.append(f"open/booked/used {row.open}/{row.booked}/{row.used} (expected 1/0/0)")
    status = services.booking.get(AppointmentId(appointment)).status.value
    if status != "no_show":
        problems.append(f"the appointment is {status}")
    return problems, kinds.count("release")


def test_eight_desks_forgiving_one_no_show_forgive_it_once(services, database, backend):
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    coach = _staff(services, "Kim", "coach")
    desks = [_staff(services, f"Admin {i}", "admin") for i in range(race.PROCESSES)]
    tally = race.Tally(
        "forgive no-show",
        backend,
        describe=lambda worst: f"at most {worst} releases on one appointment",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, appointment, lot = _no_show(services, n, kind, coach)
            results = running.race([("forgive", appointment, desk) for desk in desks])
            problems, releases = _check(services, database, results, member, appointment, lot)
            tally.record(results, problems, measure=releases)
    tally.report()
