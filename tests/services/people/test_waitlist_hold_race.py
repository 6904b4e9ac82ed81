"""Four desks put a member on the waitlists of four full sessions while four others put
the same member on hold over that day, all at once: after every round the member
waits for no session inside a live hold.

Each round: a new member, and on a new day four full group sessions (capacity 1, each
taken by another member, each with its own coach). Desks 0-3 each join one of those
waitlists for the member; desks 4-7 each place a hold over that day (one wins, the
others are refused as overlapping). A join refuses a held day (refuse_on_hold) and a
hold takes the member off the waitlists of its days (holds._leave_waitlists); both
read under the member's row lock, so whichever lands second sees the first. Without
it, on PostgreSQL a join that read "no hold" while the hold was uncommitted leaves
the member waiting for a held day. After each round: one live hold, no waiting
entry of the member inside it.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from desk.models import MemberHold, WaitlistEntry, WaitlistStatus
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.people.hold_rules import last_held_day, window
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
TODAY = date(2026, 3, 4)  # the race clock's day in New York
SESSIONS = 4

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _seed(services, n, kind, coaches, filler):
    member = services.members.create(first_name="Bo", last_name=f"Round {n}", **acting(None))
    day = TODAY + timedelta(days=n + 1)
    sessions = []
    for i, coach in enumerate(coaches):
        local = race.NOW.astimezone(ZoneInfo(race.ZONE)).replace(
            year=day.year, month=day.month, day=day.day, hour=8 + i, minute=0
        )
        taken = services.booking.book(
            member_id=MemberId(filler), appointment_type_id=AppointmentTypeId(kind),
            staff_id=StaffId(coach), starts_at=local, **acting(None),
        ).value  # fmt: skip
        sessions.append((coach, taken.starts_at, taken.ends_at))
    return member.value.id, day, sessions


def act(services, index, task):
    if task[0] == "join":
        _action, member, kind, coach, starts_at, ends_at = task
        return services.booking.join_waitlist(
            member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
            staff_id=StaffId(coach), starts_at=starts_at, ends_at=ends_at, **acting(None),
        ).value.id  # fmt: skip
    _action, member, day = task
    return len(services.holds.place_hold(
        MemberId(member), starts_on=day, ends_on=day, reason="travel", **acting(None)
    ).value.left_waitlists)  # fmt: skip


def _check(database, results, member):
    problems = [f"desk {r.worker} failed: {r.error}" for r in results if r.status == "error"]
    with database.read() as session:
        holds = list(session.scalars(
            select(MemberHold).where(MemberHold.member_id == member,
                                     MemberHold.cancelled_at.is_(None))
        ))  # fmt: skip
        waiting = list(session.scalars(
            select(WaitlistEntry.starts_at).where(
                WaitlistEntry.member_id == member,
                WaitlistEntry.status == WaitlistStatus.WAITING.value,
            )
        ))  # fmt: skip
    if len(holds) != 1:
        problems.append(f"{len(holds)} live holds (expected 1)")
    inside = 0
    for hold in holds:
        start, end = window(hold.starts_on, last_held_day(hold), ZoneInfo(race.ZONE))
        inside += sum(1 for at in waiting if start <= at < end)
    if inside:
        problems.append(f"waiting for {inside} sessions inside the hold")
    return problems, inside


def test_joining_waitlists_and_a_hold_at_once_leave_no_wait_on_a_held_day(
    services, database, backend
):
    kind = services.appointment_types.create(
        name="Small group", duration_minutes=30, capacity=1, **acting(None)
    ).value.id
    coaches = [
        services.staff.create(name=f"Coach {i}", role="coach", **acting(None)).value.id
        for i in range(SESSIONS)
    ]
    filler = services.members.create(first_name="Fay", last_name="Filler", **acting(None))
    services.credits.add_credits(
        member_id=MemberId(filler.value.id), appointment_type_id=AppointmentTypeId(kind),
        quantity=SESSIONS * ROUNDS, expires_on=None, **acting(None),
    )  # fmt: skip
    tally = race.Tally(
        "join waitlists / place hold",
        backend,
        describe=lambda worst: f"at most {worst} waitlist entries inside a hold",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, day, sessions = _seed(services, n, kind, coaches, filler.value.id)
            tasks = [("join", member, kind, *s) for s in sessions]
            tasks += [("hold", member, day)] * (race.PROCESSES - SESSIONS)
            results = running.race(tasks)
            problems, inside = _check(database, results, member)
            tally.record(results, problems, measure=inside)
    tally.report()
