"""Many desks at once: OS processes race for the same member's last credits, on both backends.

Eight worker processes (tests/services/race_harness.py: each its own
interpreter with its own connections, like eight workstations) wait at a
barrier, then all at once book, cancel or adjust on one member who has only a few credits left.
Round after round the parent checks that no more credits were taken than
there were (a double spend), that a cancel gave back exactly one credit, that
no lot went below zero and that every lot's cache equals its ledger. A
summary line per backend ("8 processes x 100 rounds, 0 double spends") is
printed; ``pytest -s`` shows it.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from desk.db import Database
from desk.models import Appointment, CreditEntry, CreditLot, ImportBatch, Member
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, InvalidState
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM
from tests.services import race_harness as race

PROCESSES = race.PROCESSES
ROUNDS = {"book": 40, "cancel": 15, "adjust": 25, "mixed": 20}
ZONE = race.ZONE
FIRST_SLOT = datetime(2026, 4, 1, 6, 0, tzinfo=ZoneInfo(ZONE))


# --- the desks (tests/services/race_harness.py) ------------------------------------------------


@dataclass(frozen=True)
class Gym:
    url: str
    member: int
    kind: int
    staff: list[int]  # one coach per worker, so workers race for credits, not time slots


def act(services: Services, index: int, task: tuple[str, Gym, Any]) -> Any:
    """One desk's task: book, cancel, adjust or import."""
    action, gym, argument = task
    if action == "book":
        return services.booking.book(
            member_id=MemberId(gym.member),
            appointment_type_id=AppointmentTypeId(gym.kind),
            staff_id=StaffId(gym.staff[index]),
            starts_at=argument,
            actor=SYSTEM,
        ).value.lot_id
    if action == "cancel":
        return services.booking.cancel(AppointmentId(argument), actor=SYSTEM).value.credit_returned
    if action == "adjust":
        return services.credits.adjust(
            member_id=MemberId(gym.member),
            appointment_type_id=AppointmentTypeId(gym.kind),
            delta=-1,
            reason="race",
            actor=SYSTEM,
        ).value.open
    if action == "import":
        report = services.imports.import_credits(argument, actor=SYSTEM).value
        return report.written
    if action == "import_members":
        return services.imports.import_members(argument, actor=SYSTEM).value.written
    raise AssertionError(action)


_REFUSALS = {InsufficientCredits.__name__: "insufficient", InvalidState.__name__: "invalid"}


def _outcome(result: race.Result) -> str:
    """ "ok", "insufficient", "invalid", or "error ..." (any other failure fails the test)."""
    if result.status == "ok":
        return "ok"
    refusal = _REFUSALS.get(result.error.split(":", 1)[0]) if result.status == "refused" else None
    return refusal or f"error {result.error}"


class Desks:
    """PROCESSES desks of the race harness on one gym; results as (desk, action, outcome,
    value, what was retried)."""

    def __init__(self, gym: Gym) -> None:
        self.gym = gym
        self.desks = race.Desks(gym.url, act, processes=PROCESSES)

    def race(self, tasks: list[tuple[str, Any]]) -> list[tuple[int, str, str, Any, Counter[str]]]:
        """Give worker i tasks[i]; they start together; their results by worker."""
        assert len(tasks) == PROCESSES
        results = self.desks.race([(action, self.gym, argument) for action, argument in tasks])
        return [(r.worker, r.task[0], _outcome(r), r.value, Counter(r.retried)) for r in results]

    def close(self) -> None:
        self.desks.close()


# --- the race ------------------------------------------------------------------------------


@dataclass
class Tally:
    rounds: Counter[str] = field(default_factory=Counter)
    attempts: int = 0
    taken: int = 0
    double_spends: int = 0
    retries: Counter[str] = field(default_factory=Counter)


@pytest.fixture
def gym(services: Services, database: Database) -> Gym:
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, late_cancel_hours=24, actor=SYSTEM
    ).value
    staff = [
        services.staff.create(name=f"Coach {i}", actor=SYSTEM).value.id
        for i in range(PROCESSES + 1)
    ]
    member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    database.dispose()  # the workers open their own connections
    return Gym(database.url.render_as_string(hide_password=False), member.id, kind.id, staff)


def _open(services: Services, gym: Gym) -> int:
    return services.credits.open_credits(MemberId(gym.member), AppointmentTypeId(gym.kind))


def _grant(services: Services, gym: Gym, rng: random.Random) -> None:
    """One to four credits on one or two lots, expiring on different days."""
    left = rng.randint(1, 4)
    while left:
        quantity = rng.randint(1, left)
        services.credits.add_credits(
            member_id=MemberId(gym.member),
            appointment_type_id=AppointmentTypeId(gym.kind),
            quantity=quantity,
            expires_on=rng.choice([None, date(2026, 12, 31), date(2027, 6, 30)]),
            actor=SYSTEM,
        )
        left -= quantity


def _lot_sums(database: Database) -> list[tuple[int, int, int]]:
    """(lot, remaining, sum of its entries) for every lot."""
    with database.read() as session:
        rows = session.execute(
            select(CreditLot.id, CreditLot.remaining, func.coalesce(func.sum(CreditEntry.delta), 0))
            .outerjoin(CreditEntry, CreditEntry.lot_id == CreditLot.id)
            .group_by(CreditLot.id, CreditLot.remaining)
        ).all()
    return [(int(a), int(b), int(c)) for a, b, c in rows]


def _check_ledger(services: Services, database: Database) -> None:
    assert services.credits.verify_ledger() == []
    for lot, remaining, total in _lot_sums(database):
        assert remaining >= 0, (lot, remaining, total)
        assert total >= 0, (lot, remaining, total)
    with database.read() as session:
        paid = session.scalar(
            select(func.count(Appointment.id)).where(Appointment.lot_id.is_not(None))
        )
        debits = session.scalar(
            select(func.count(CreditEntry.id)).where(CreditEntry.kind == "book")
        )
    assert paid == debits  # one debit per booking, never two bookings on one debit


def test_eight_desks_race_for_the_last_credits(
    gym: Gym, services: Services, database: Database, backend: str
) -> None:
    rng = random.Random(7)
    tally = Tally()
    desks = Desks(gym)
    slot = iter(FIRST_SLOT + timedelta(hours=2 * n) for n in range(10_000))
    extra_coach = StaffId(gym.staff[-1])
    started = time.perf_counter()
    try:
        plan = [kind for kind, n in ROUNDS.items() for _ in range(n)]
        rng.shuffle(plan)
        for kind in plan:
            _grant(services, gym, rng)
            to_cancel: list[int] = []
            if kind in ("cancel", "mixed"):
                # Booked now, by the parent, well before the late-cancel window.
                to_cancel.append(
                    services.booking.book(
                        member_id=MemberId(gym.member),
                        appointment_type_id=AppointmentTypeId(gym.kind),
                        staff_id=extra_coach,
                        starts_at=next(slot),
                        actor=SYSTEM,
                    ).value.id
                )
            before = _open(services, gym)
            when = next(slot)
            if kind == "book":
                tasks = [("book", when)] * PROCESSES
            elif kind == "adjust":
                tasks = [("adjust", None)] * PROCESSES
            elif kind == "cancel":
                tasks = [("cancel", to_cancel[0])] * PROCESSES
            else:
                tasks = [("book", when)] * 4 + [("adjust", None)] * 2
                tasks += [("cancel", to_cancel[0])] * 2
            results = desks.race(tasks)
            errors = [r for r in results if r[2].startswith("error")]
            assert errors == [], errors

            takes = [r for r in results if r[1] in ("book", "adjust") and r[2] == "ok"]
            refused = [r for r in results if r[1] in ("book", "adjust") and r[2] != "ok"]
            cancels = [r for r in results if r[1] == "cancel"]
            released = sum(1 for r in cancels if r[2] == "ok")
            after = _open(services, gym)
            tally.rounds[kind] += 1
            tally.attempts += len(tasks)
            tally.taken += len(takes)
            tally.double_spends += max(0, len(takes) - (before + released))
            for r in results:
                tally.retries.update(r[4])

            assert all(r[2] == "insufficient" for r in refused), refused
            if cancels:
                # One desk cancels; the others are told it is already cancelled.
                assert released == 1, cancels
                assert sorted(r[2] for r in cancels).count("invalid") == len(cancels) - 1
            # Conservation: what was open, plus the give-back, minus what was taken.
            assert after == before + released - len(takes), (kind, before, results, after)
            assert after >= 0
            if kind in ("book", "adjust"):
                # Nobody was refused while a credit was left: no lost update either.
                assert len(takes) == min(PROCESSES, before), (kind, before, results)
            # Two bookings never share a slot's credit: each got its own debit.
            booked_lots = [r[3] for r in takes if r[1] == "book"]
            assert len(booked_lots) <= before + released
            _check_ledger(services, database)
            # Start every round from zero open credits.
            if after:
                services.credits.adjust(
                    member_id=MemberId(gym.member),
                    appointment_type_id=AppointmentTypeId(gym.kind),
                    delta=-after,
                    reason="reset between rounds",
                    actor=SYSTEM,
                )
    finally:
        desks.close()
    seconds = time.perf_counter() - started
    rounds = sum(tally.rounds.values())
    print(
        f"\n[{backend}] {PROCESSES} processes x {rounds} rounds ({dict(tally.rounds)}): "
        f"{tally.attempts} attempts, {tally.taken} credits taken, "
        f"{tally.double_spends} double spends, {tally.retries.total()} transactions retried "
        f"{dict(tally.retries)}, "
        f"{seconds:.1f} s"
    )
    assert tally.double_spends == 0
    assert rounds == sum(ROUNDS.values())


def _credits_csv(rows: int, tag: str) -> bytes:
    lines = ["Client ID,Service,Credits,Expiration,Note"]
    lines += [
        f"M{i % 20},Personal training,{1 + i % 3},2026-12-31,{tag} row {i}" for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_eight_desks_importing_the_same_files_import_them_once(
    gym: Gym, services: Services, database: Database
) -> None:
    members_csv = "Client ID,First name,Last name\n" + "".join(
        f"M{i},Member,Number{i}\n" for i in range(20)
    )
    desks = Desks(gym)
    try:
        results = desks.race([("import_members", members_csv.encode())] * PROCESSES)
        assert [r[2] for r in results] == ["ok"] * PROCESSES, results
        assert sorted(r[3] for r in results) == [False] * (PROCESSES - 1) + [True]
        results = desks.race([("import", _credits_csv(300, "same"))] * PROCESSES)
        assert [r[2] for r in results] == ["ok"] * PROCESSES, results
        assert sorted(r[3] for r in results) == [False] * (PROCESSES - 1) + [True]
    finally:
        desks.close()
    with database.read() as session:
        assert session.scalar(select(func.count(Member.id))) == 21  # Ann and the 20
        assert session.scalar(select(func.count(ImportBatch.id))) == 2
        assert session.scalar(select(func.count(CreditLot.id))) == 300
    assert services.credits.verify_ledger() == []
