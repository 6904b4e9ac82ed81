"""Seven desks open the liability movement (filling the report cache) while an eighth
marks a session of a past day it covers as a no-show, all at once: after every round
no cached day differs from replaying the ledger.

The gym has a history (a demo of 300 members), so a fill's replay takes a while.
Each round starts with an empty cache and a new member with a session two days
ago, booked the day before it. Desks 0-6 ask for the movement of the last ten
days (each may find the days missing, replay them and store them); desk 7, after a
random pause spread over the time a fill takes, marks the session a no-show, which
changes what its day forfeited. The no-show's trigger drops the cached days after
the session's start; one landing between a fill's read and its store is logged
(the fill registered first) and the store leaves those days out (day_cache.py).
After each round the movement read from the cache equals the replay, for the ten
days and for that day.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from sqlalchemy import text

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.records.demo import DemoGenerator
from desk.services.reports.liability import liability_movement
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
REPORTERS = 7
SPREAD_S = 0.4
HISTORY_MEMBERS = 300

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _seed(services, database, clock, n, kind, coach):
    with database.write() as session:
        session.execute(text("DELETE FROM report_cache_days"))
    # Sold and booked three days ago, so the session consumes its credit at its own
    # start (a booking made after the start would consume it when made, today).
    now, clock.current = clock.current, race.NOW - timedelta(days=3)
    member = MemberId(
        services.members.create(first_name="Cy", last_name=f"Round {n}", **acting(None)).value.id
    )
    services.credits.add_credits(
        member_id=member, appointment_type_id=AppointmentTypeId(kind), quantity=1,
        expires_on=None, price_cents=9_999, **acting(None),
    )  # fmt: skip
    starts_at = race.NOW - timedelta(days=2, hours=2) + timedelta(minutes=15 * n)
    booked = services.booking.book(
        member_id=member, appointment_type_id=AppointmentTypeId(kind), staff_id=StaffId(coach),
        starts_at=starts_at, **acting(None),
    ).value.id  # fmt: skip
    clock.current = now
    return booked


def _period(services):
    last = race.NOW.astimezone(services.clock.tz).date()
    return last - timedelta(days=9), last


def act(services, index, task):
    if task[0] == "report":
        first, last = _period(services)
        return services.reports.liability_movement(first, last, **acting(None)).forfeited_cents
    _action, appointment, delay = task
    # Spread over the time a fill takes (its read to its store), so some land inside it.
    time.sleep(delay)
    return services.booking.no_show(AppointmentId(appointment), **acting(None)).value.status


def _check(services, database, results):
    problems = [f"desk {r.worker}: {r.status} {r.error}" for r in results if r.status != "ok"]
    first, last = _period(services)
    stale = 0
    # The ten days, and the day of the session (the day the no-show changes).
    changed = [(race.NOW - timedelta(days=2)).astimezone(services.clock.tz).date()]
    for day in [None, *changed]:
        a, b = (first, last) if day is None else (day, day)
        cached = services.reports.liability_movement(a, b, **acting(None))
        with database.read() as session:
            replayed = liability_movement(session, a, b, services.clock.tz,
                                          now=services.clock.now())  # fmt: skip
        if cached != replayed:
            stale += 1
            problems.append(f"{a}..{b}: cached forfeited {cached.forfeited_cents}, "
                            f"replayed {replayed.forfeited_cents}")  # fmt: skip
    return problems, stale


def test_fills_and_backdated_no_shows_at_once_leave_no_stale_day(
    services, database, backend, clock
):
    # A gym with a history, so a fill's replay takes a while (the window a write
    # can land in between the fill's read and its store).
    DemoGenerator(database, clock).generate(members=HISTORY_MEMBERS, seed=5)
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=15, **acting(None)
    ).value.id
    coach = services.staff.create(name="Coach", role="coach", **acting(None)).value.id
    tally = race.Tally(
        "movement fills vs backdated no-shows",
        backend,
        describe=lambda worst: f"at most {worst} periods read stale from the cache",
        worse="up",
    )
    rng = random.Random(20261202)
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            booked = _seed(services, database, clock, n, kind, coach)
            tasks = [("report",)] * REPORTERS
            tasks += [("no-show", booked, rng.uniform(0, SPREAD_S))] * (race.PROCESSES - REPORTERS)
            results = running.race(tasks)
            problems, stale = _check(services, database, results)
            tally.record(results, problems, measure=stale)
    tally.report()
