"""Eight desks place overlapping holds, book into the window and end a hold early at once.

Each round a fresh member has five credits on a lot expiring on day 20; every
other round they are also on hold from today to day 9 (the lot moved to day 30).
At the same moment three desks put them on hold from day 5 to day 12 (which
overlaps the first hold unless it has ended early), two end the first hold
early so they are back on day 3 (in the rounds without one, they put the member
on hold from day 6 to day 10 instead), and three book them (each with their own
coach) on day 6 or 7. Every
write that reads a member's holds or bookings holds the member's row first
(hold_rules.hold_on, holds.place_hold), so whatever order the desks land in,
after each round: no two live holds share a day, no booked session lies inside
a live hold, the first hold ended early once, and the lot's expiry is its
original date plus the shifts its holds applied (member_hold_lots).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from desk.models import Appointment, AppointmentStatus, CreditLot, MemberHold, MemberHoldLot
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.people.hold_rules import last_held_day, window
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
TODAY = date(2026, 3, 4)  # the race clock's day in New York
ORIGINAL = TODAY + timedelta(days=20)

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _seed(services, n, kind, *, first_hold):
    member = MemberId(
        services.members.create(first_name="Ann", last_name=f"Round {n}", **acting(None)).value.id
    )
    lot = services.credits.add_credits(
        member_id=member, appointment_type_id=AppointmentTypeId(kind), quantity=5,
        expires_on=ORIGINAL, **acting(None),
    ).value.id  # fmt: skip
    if not first_hold:
        return member, lot, None
    first = services.holds.place_hold(
        member, starts_on=TODAY, ends_on=TODAY + timedelta(days=9), reason="injury",
        **acting(None),
    ).value.hold.id  # fmt: skip
    return member, lot, first


def act(services, index, task):
    """One desk's write: place a hold, end the first one early, or book."""
    action, desk, member, *rest = task
    if action == "place":
        [first_day, last_day] = rest
        return services.holds.place_hold(
            MemberId(member), starts_on=TODAY + timedelta(days=first_day),
            ends_on=TODAY + timedelta(days=last_day), reason="travel", **acting(desk),
        ).value.hold.id  # fmt: skip
    if action == "end":
        [hold] = rest
        return services.holds.end_hold_early(
            hold, back_on=TODAY + timedelta(days=3), **acting(desk)
        ).value.hold.id
    kind, coach, starts_at = rest
    return services.booking.book(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=starts_at, **acting(desk),
    ).value.id  # fmt: skip


def _check(database, results, member, lot, first):
    problems = []
    for r in results:
        if r.status == "error":
            problems.append(f"desk {r.worker} failed: {r.error}")
    ends = [r for r in results if r.task[0] == "end" and r.status == "ok"]
    if first is not None and len(ends) != 1:
        problems.append(f"{len(ends)} desks ended the first hold early (expected 1)")
    with database.read() as session:
        holds = list(
            session.scalars(
                select(MemberHold).where(
                    MemberHold.member_id == member, MemberHold.cancelled_at.is_(None)
                )
            )
        )
        windows = sorted((h.starts_on, last_held_day(h)) for h in holds)
        for (_a, a_last), (b_first, _b) in itertools.pairwise(windows):
            if b_first <= a_last:
                problems.append(f"{len(windows)} holds, overlapping")
                break
        booked = list(
            session.scalars(
                select(Appointment.starts_at).where(
                    Appointment.member_id == member,
                    Appointment.status == AppointmentStatus.BOOKED.value,
                )
            )
        )
        for first_day, last_day in windows:
            start, end = window(first_day, last_day, ZoneInfo(race.ZONE))
            inside = [at for at in booked if start <= at < end]
            if inside:
                problems.append(f"{len(inside)} sessions booked inside the hold from {first_day}")
                break
        shift = sum(session.scalars(select(MemberHoldLot.days).where(MemberHoldLot.lot_id == lot)))
        expires = session.scalar(select(CreditLot.expires_on).where(CreditLot.id == lot))
    if expires != ORIGINAL + timedelta(days=shift):
        problems.append(f"lot expires {expires}, original {ORIGINAL} + applied shift {shift}")
    return problems, len(holds)


def test_holds_bookings_and_an_early_end_at_once_keep_holds_apart(services, database, backend):
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=30, **acting(None)
    ).value.id
    coaches = [_staff(services, f"Coach {i}", "coach") for i in range(3)]
    desks = [_staff(services, f"Admin {i}", "admin") for i in range(race.PROCESSES)]
    base = race.NOW + timedelta(days=6)
    tally = race.Tally(
        "place holds / end early / book",
        backend,
        describe=lambda worst: f"at most {worst} live holds on one member",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, lot, first = _seed(services, n, kind, first_hold=n % 2 == 0)
            starts_at = base + timedelta(minutes=30 * n)
            tasks = [("place", desks[i], member, 5, 12) for i in range(3)]
            if first is not None:
                tasks += [("end", desks[3 + i], member, first) for i in range(2)]
            else:  # no first hold: two more desks place a hold overlapping the others
                tasks += [("place", desks[3 + i], member, 6, 10) for i in range(2)]
            tasks += [("book", desks[5 + i], member, kind, coaches[i], starts_at) for i in range(3)]
            results = running.race(tasks)
            problems, live = _check(database, results, member, lot, first)
            tally.record(results, problems, measure=live)
    tally.report()
