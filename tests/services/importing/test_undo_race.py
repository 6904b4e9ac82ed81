"""Undoing an import while desks book from it.

Each round the parent imports a small credits file (two credits for each of
seven members, who have no other credits). Then, all at once, seven desks each
book one of those members (the only credit they can use is the imported one)
while the eighth desk undoes the import. Either order is fine on its own: a
booking first makes the undo refuse ("some credits were already booked"); the
undo first leaves the bookings without a credit (InsufficientCredits).

After every round: each lot's cached ``remaining`` equals the sum of its
entries, nothing is negative, the undo was refused or no booking holds a
credit of the undone import, and per member ``open + booked + used + expired
== granted + adjusted``. On PostgreSQL the undo counted the lots' uses before a
concurrent booking commits, then wrote each lot off with the ``remaining`` it
read at the start: "lot 1: remaining 0 but entries sum to -1", and the
booking kept a credit the undo took back. Now the undo takes each lot's
credits with the same conditional take as a booking; a lost take reruns it and
it refuses, naming the member.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from desk.models import Appointment, AppointmentStatus, CreditEntry, CreditLot, ImportBatch
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
CREDITS_PER_MEMBER = 2
FIRST_SLOT = at_local(2026, 4, 1, 6)

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _type(services, name):
    return services.appointment_types.create(
        name=name, duration_minutes=60, **acting(None)
    ).value.id


def _member(services, external_id, owner):
    return services.members.create(
        first_name="Member", last_name=external_id, external_id=external_id, **acting(owner)
    ).value.id


def _import(services, csv, owner):
    return services.imports.import_credits(csv, **acting(owner)).value


def _book(services, member, kind, coach, starts_at, desk):
    return services.booking.book(
        member_id=MemberId(member),
        appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach),
        starts_at=starts_at,
        **acting(desk),
    ).value


def _undo(services, batch_id, desk):
    return services.imports.undo(batch_id, **acting(desk)).value


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    if task[0] == "book":
        _action, member, kind, coach, starts_at, desk = task
        return _book(services, member, kind, coach, starts_at, desk).lot_id
    _action, batch_id, desk = task
    return _undo(services, batch_id, desk).status


def _credits_file(round_no, externals):
    lines = ["Client ID,Service,Credits,Expiration,Note"]
    lines += [
        f"{external},Personal training,{CREDITS_PER_MEMBER},2026-12-31,round {round_no}"
        for external in externals
    ]
    return ("\n".join(lines) + "\n").encode()


def _lots(database, batch_id):
    """(lot, remaining, sum of its entries) for every lot of the batch."""
    with database.read() as session:
        rows = session.execute(
            select(CreditLot.id, CreditLot.remaining, func.coalesce(func.sum(CreditEntry.delta), 0))
            .outerjoin(CreditEntry, CreditEntry.lot_id == CreditLot.id)
            .where(CreditLot.import_batch == batch_id)
            .group_by(CreditLot.id, CreditLot.remaining)
        ).all()
    return [(int(a), int(b), int(c)) for a, b, c in rows]


def _bookings_on(database, lot_ids):
    with database.read() as session:
        return list(
            session.scalars(
                select(Appointment.id).where(
                    Appointment.lot_id.in_(lot_ids),
                    Appointment.status == AppointmentStatus.BOOKED.value,
                )
            )
        )


def _batch_status(database, batch_id):
    with database.read() as session:
        return session.scalar(select(ImportBatch.status).where(ImportBatch.id == batch_id))


def _check(services, database, results, batch_id, members):
    problems = []
    undo = next(r for r in results if r.task[0] == "undo")
    books = [r for r in results if r.task[0] == "book"]
    if undo.status == "refused" and not undo.error.startswith("InvalidState"):
        problems.append(f"the undo was refused oddly: {undo.error}")
    for r in books:
        if r.status == "refused" and not r.error.startswith("InsufficientCredits"):
            problems.append(f"desk {r.worker}'s booking was refused oddly: {r.error}")
    lots = _lots(database, batch_id)
    lot_ids = [lot for lot, _remaining, _total in lots]
    for lot, remaining, total in lots:
        if remaining != total:
            problems.append(f"lot {lot}: remaining {remaining} but entries sum to {total}")
        if remaining < 0 or total < 0:
            problems.append(f"lot {lot}: negative ({remaining}, entries {total})")
    held = _bookings_on(database, lot_ids)
    undone = _batch_status(database, batch_id) == "undone"
    if undone != (undo.status == "ok"):
        problems.append(f"the undo said {undo.status} but the batch is {'un' * (not undone)}done")
    if undone and held:
        problems.append(f"the import was undone but {len(held)} booking(s) hold its credits")
    if not undone and undo.status == "refused" and not held:
        problems.append("the undo was refused but nothing of the import was used")
    if len(held) != sum(1 for r in books if r.status == "ok"):
        problems.append(f"{len(held)} bookings hold the import's credits, desks booked otherwise")
    for member in members:
        for row in services.credits.balances(MemberId(member)):
            left = row.open + row.booked + row.used + row.expired
            if left != row.granted + row.adjusted:
                problems.append(
                    f"member {member}: open {row.open} + booked {row.booked} + used {row.used} "
                    f"+ expired {row.expired} != granted {row.granted} + adjusted {row.adjusted}"
                )
    lowest = min(total for _lot, _remaining, total in lots)
    return problems, (lowest, len(held) if undone else 0)


def test_undoing_an_import_while_desks_book_from_it_never_undoes_a_used_credit(
    services, database, backend
):
    kind = _type(services, "Personal training")
    owner = _staff(services, "Owner", "owner")
    desks = [_staff(services, f"Desk {i}", "admin") for i in range(race.PROCESSES)]
    coaches = [_staff(services, f"Coach {i}", "coach") for i in range(race.PROCESSES)]
    stolen = [0]  # bookings left holding a credit of an undone import, over all rounds

    def describe(worst):
        lowest, _ = worst
        return (
            f"a lot's entries summed to {lowest} at worst; {stolen[0]} bookings in all kept "
            "a credit of an undone import"
        )

    tally = race.Tally("import undo vs booking", backend, describe=describe)
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            undoer = n % race.PROCESSES
            bookers = [i for i in range(race.PROCESSES) if i != undoer]
            externals = [f"R{n}-M{i}" for i in bookers]
            members = [_member(services, external, owner) for external in externals]
            report = _import(services, _credits_file(n, externals), owner)
            assert report.written, report
            when = FIRST_SLOT + timedelta(hours=n)
            tasks = [None] * race.PROCESSES
            tasks[undoer] = ("undo", report.batch_id, desks[undoer])
            for i, member in zip(bookers, members, strict=True):
                tasks[i] = ("book", member, kind, coaches[i], when, desks[i])
            results = running.race(tasks)
            problems, measure = _check(services, database, results, report.batch_id, members)
            stolen[0] += measure[1]
            tally.record(results, problems, measure=measure)
    tally.report()
