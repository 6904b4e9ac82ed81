"""Eight desks write at the same moment: the change log still holds one row per
write, with ids that have no gaps and follow the commits (a desk that has seen id
N has seen every change up to N), and the counter names the last one."""

from __future__ import annotations

from sqlalchemy import select

from desk.models import ChangeCounter, ChangeLogEntry
from tests.actors import SYSTEM
from tests.services import race_harness as race

ROUNDS = 50


def act(services, index, task):
    _what, n = task
    return services.members.create(first_name=f"Racer {n}", last_name=str(index), actor=SYSTEM)


def test_eight_desks_writing_at_once_leave_a_gapless_log(services, database, backend):
    tally = race.Tally("change log", backend, describe=lambda worst: f"{worst or 0} wrong")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            start = services.changes.latest_id()
            results = running.race([("create", n)] * race.PROCESSES)
            problems = []
            if any(r.status != "ok" for r in results):
                problems.append(f"{sum(r.status != 'ok' for r in results)} writes failed")
            with database.read() as session:
                ids = session.scalars(
                    select(ChangeLogEntry.id)
                    .where(ChangeLogEntry.id > start)
                    .order_by(ChangeLogEntry.id)
                ).all()
                counter = session.scalar(select(ChangeCounter.last))
            expected = list(range(start + 1, start + race.PROCESSES + 1))
            wrong = len(set(ids) ^ set(expected))
            if ids != expected:
                problems.append(f"log ids {ids}, expected {expected}")
            if counter != start + race.PROCESSES:
                problems.append(f"counter {counter}, expected {start + race.PROCESSES}")
            members = services.changes.read_since(start)
            tally.record(results, problems, measure=wrong)
            assert members.last_id == counter
    tally.report()
