"""Undoing an import of booked sessions while desks cancel those sessions.

Each round the parent imports a bookings file: one session to come for each of
seven members (each booking holding a one-credit migration lot). Then, all at
once, seven desks each cancel one of those sessions while the eighth desk
undoes the import. Either order is fine on its own: a cancel first makes the
undo refuse ("cancelled since"); the undo first cancels every session itself,
and the desks' cancels are refused ("already cancelled").

After every round: each lot's cached ``remaining`` equals the sum of its
entries and stays between 0 and 1; no lot has its credit released twice; an
undo that went through left every session cancelled and every lot written off
with no desk's cancel also succeeding; a refused undo left the batch as it was.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from sqlalchemy import func, select

from desk.models import Appointment, CreditEntry, CreditLot, EntryKind, ImportBatch
from desk.services.core.ids import AppointmentId
from desk.services.importing.report import ImportOptions
from tests.services import race_harness as race
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
FIRST_SLOT = at_local(2026, 4, 1, 6)

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _type(services, name):
    services.appointment_types.create(name=name, duration_minutes=60, **acting(None))


def _member(services, external_id, owner):
    return services.members.create(
        first_name="Member", last_name=external_id, external_id=external_id, **acting(owner)
    ).value.id


def _import(services, csv, owner):
    return services.imports.import_appointments(csv, ImportOptions(), **acting(owner)).value


def _cancel(services, appointment_id, desk):
    return services.booking.cancel(AppointmentId(appointment_id), **acting(desk)).value


def _undo(services, batch_id, desk):
    return services.imports.undo(batch_id, **acting(desk)).value


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    if task[0] == "cancel":
        _action, appointment_id, desk, delay = task
        # The undo reads more before it writes than a cancel: the cancels start a
        # little later, by a different amount each round, so that both orders happen.
        time.sleep(delay)
        _cancel(services, appointment_id, desk)
        return appointment_id
    _action, batch_id, desk = task
    return _undo(services, batch_id, desk).status


def _bookings_file(externals, coaches, when):
    lines = ["Client ID,Service,Staff,Starts,Status,Credit Value,Credit Expires"]
    lines += [
        f"{external},Personal training,{coach},{when.isoformat()},booked,50.00,2026-12-31"
        for external, coach in zip(externals, coaches, strict=True)
    ]
    return ("\n".join(lines) + "\n").encode()


def _state(database, batch_id):
    """Per lot of the batch: (remaining, sum of entries, releases), and the sessions."""
    with database.read() as session:
        lots = session.execute(
            select(
                CreditLot.id,
                CreditLot.remaining,
                func.coalesce(func.sum(CreditEntry.delta), 0),
                func.count(CreditEntry.id).filter(CreditEntry.kind == EntryKind.RELEASE.value),
            )
            .outerjoin(CreditEntry, CreditEntry.lot_id == CreditLot.id)
            .where(CreditLot.import_batch == batch_id)
            .group_by(CreditLot.id, CreditLot.remaining)
        ).all()
        lot_ids = [lot for lot, *_ in lots]
        sessions = session.execute(
            select(Appointment.id, Appointment.status).where(Appointment.lot_id.in_(lot_ids))
        ).all()
        status = session.scalar(select(ImportBatch.status).where(ImportBatch.id == batch_id))
    return [tuple(int(v) for v in row) for row in lots], dict(sessions), status


def _check(database, results, batch_id):
    problems = []
    undo = next(r for r in results if r.task[0] == "undo")
    cancels = [r for r in results if r.task[0] == "cancel"]
    lots, sessions, status = _state(database, batch_id)
    worst_releases = 0
    for lot, remaining, total, releases in lots:
        worst_releases = max(worst_releases, releases)
        if remaining != total:
            problems.append(f"lot {lot}: remaining {remaining} but entries sum to {total}")
        if not 0 <= remaining <= 1:
            problems.append(f"lot {lot}: remaining {remaining} on a one-credit lot")
        if releases > 1:
            problems.append(f"lot {lot}: its credit was released {releases} times")
    undone = status == "undone"
    if undone != (undo.status == "ok"):
        problems.append(f"the undo said {undo.status} but the batch is {status}")
    done = [r for r in cancels if r.status == "ok"]
    if undone:
        if done:
            problems.append(f"the import was undone and {len(done)} desk cancels went through too")
        if any(s != "cancelled" for s in sessions.values()):
            problems.append(f"the import was undone but sessions are {sorted(sessions.values())}")
        if any(remaining for _lot, remaining, _t, _r in lots):
            problems.append("the import was undone but a lot still has its credit")
    elif not done:
        problems.append(f"the undo was refused but no desk cancelled: {undo.error}")
    return problems, worst_releases


def test_undoing_a_bookings_import_while_desks_cancel_its_sessions(services, database, backend):
    _type(services, "Personal training")
    owner = _staff(services, "Owner", "owner")
    desks = [_staff(services, f"Desk {i}", "admin") for i in range(race.PROCESSES)]
    coaches = [f"Coach {i}" for i in range(race.PROCESSES)]
    for name in coaches:
        _staff(services, name, "coach")

    tally = race.Tally(
        "bookings import undo vs cancels",
        backend,
        describe=lambda worst: f"a lot's credit was released {worst} times at worst",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            undoer = n % race.PROCESSES
            cancellers = [i for i in range(race.PROCESSES) if i != undoer]
            externals = [f"R{n}-M{i}" for i in cancellers]
            for external in externals:
                _member(services, external, owner)
            when = FIRST_SLOT + timedelta(hours=n)
            csv = _bookings_file(externals, [coaches[i] for i in cancellers], when)
            report = _import(services, csv, owner)
            assert report.written, report
            with database.read() as session:
                lots = select(CreditLot.id).where(CreditLot.import_batch == report.batch_id)
                booked = list(
                    session.scalars(
                        select(Appointment.id)
                        .where(Appointment.lot_id.in_(lots))
                        .order_by(Appointment.id)
                    )
                )
            assert len(booked) == len(cancellers)
            tasks = [None] * race.PROCESSES
            tasks[undoer] = ("undo", report.batch_id, desks[undoer])
            for i, appointment_id in zip(cancellers, booked, strict=True):
                tasks[i] = ("cancel", appointment_id, desks[i], random.uniform(0, 0.05))
            results = running.race(tasks)
            problems, worst = _check(database, results, report.batch_id)
            tally.record(results, problems, measure=worst)
    tally.report()
