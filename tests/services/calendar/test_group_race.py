"""Eight desks at one group session: the last place, and cancellations against promotion.

Every write that reads a session's room (book, cancel with its promotion, join the
waitlist, a move) holds the coach's row first (``lock_staff``), so desks queue:

- eight desks each book another member into the last place of a group session:
  exactly one gets it, the other seven are told it is full (SessionFull, which the
  screen turns into the waitlist offer) and keep their credits;
- four desks cancel the four members of a full session while two take members
  off its waitlist and two book new members straight in: the session never holds
  more than its capacity, no member holds two places or is promoted twice, a
  place left free means nobody with a credit is still waiting, and the ledger
  adds up.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from desk.models import Appointment, WaitlistEntry
from desk.services.calendar.booking_reads import BUSY_STATUSES
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
CAPACITY = 4

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _member(services, name, kind, credits=1):
    member = services.members.create(first_name=name, last_name="Racer", **acting(None))
    member_id = MemberId(member.value.id)
    if credits:
        services.credits.add_credits(
            member_id=member_id, appointment_type_id=AppointmentTypeId(kind), quantity=credits,
            expires_on=None, **acting(None),
        )  # fmt: skip
    return member_id


def _book(services, member, kind, coach, start, desk=None):
    return services.booking.book(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=start, **acting(desk),
    ).value.id  # fmt: skip


def _wait(services, member, kind, coach, start):
    return services.booking.join_waitlist(
        member_id=MemberId(member), appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=start, ends_at=start + timedelta(hours=1),
        **acting(None),
    ).value.id  # fmt: skip


def _session(services, n, kind):
    """A fresh coach's full session on day n + 1 at 18:00 in New York, and its start."""
    coach = services.staff.create(name=f"Kim {n}", role="coach", **acting(None)).value.id
    start = race.NOW + timedelta(days=n + 1, hours=8)
    inside = [
        _book(services, _member(services, f"In{i} {n}", kind), kind, coach, start)
        for i in range(CAPACITY)
    ]
    return coach, start, inside


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    action, what, desk = task
    if action == "book":
        member, kind, coach, start = what
        return _book(services, member, kind, coach, start, desk)
    if action == "cancel":
        return services.booking.cancel(AppointmentId(what), **acting(desk)).value.appointment.id
    return services.booking.leave_waitlist(what, **acting(desk)).value.id


# --- what must hold ----------------------------------------------------------------------------


def _places(services, coach, start):
    with services.db.read() as session:
        return list(
            session.execute(
                select(Appointment.member_id).where(
                    Appointment.staff_id == coach,
                    Appointment.starts_at == start,
                    Appointment.status.in_(BUSY_STATUSES),
                )
            ).scalars()
        )


def _check_last_place(services, results, coach, start, hopefuls, kind):
    problems = []
    ok = [r for r in results if r.status == "ok"]
    if len(ok) != 1:
        problems.append(f"{len(ok)} desks got the last place (expected exactly 1)")
    for r in results:
        if r.status == "refused" and not r.error.startswith("SessionFull"):
            problems.append(f"desk {r.worker} was refused for another reason: {r.error}")
    places = _places(services, coach, start)
    if len(places) != CAPACITY:
        problems.append(f"the session holds {len(places)} of {CAPACITY}")
    spent = sum(
        1 - services.credits.open_credits(MemberId(m), AppointmentTypeId(kind)) for m in hopefuls
    )
    if spent != len(ok):
        problems.append(f"{spent} credits spent for {len(ok)} places")
    return problems, len(places)


def _check_churn(services, coach, start, kind, waiting):
    problems = []
    places = _places(services, coach, start)
    if len(places) > CAPACITY:
        problems.append(f"the session holds {len(places)} of {CAPACITY}")
    if len(set(places)) != len(places):
        problems.append("a member holds two places")
    with services.db.read() as session:
        entries = session.execute(
            select(WaitlistEntry.member_id, WaitlistEntry.status, WaitlistEntry.appointment_id)
            .where(WaitlistEntry.staff_id == coach)
        ).all()  # fmt: skip
        booked_by = dict(
            session.execute(
                select(Appointment.id, Appointment.member_id).where(Appointment.staff_id == coach)
            ).all()
        )
        promotions = session.scalar(
            select(func.count()).select_from(WaitlistEntry).where(
                WaitlistEntry.staff_id == coach, WaitlistEntry.status == "promoted"
            )
        )  # fmt: skip
    promoted = [m for m, status, _a in entries if status == "promoted"]
    if len(set(promoted)) != len(promoted):
        problems.append("a member was promoted twice")
    for member, status, appointment in entries:
        if status == "promoted" and booked_by.get(appointment) != member:
            problems.append(f"member {member} was promoted without a booking of theirs")
    still = [m for m, status, _a in entries if status == "waiting"]
    if len(places) < CAPACITY and still:
        problems.append(f"{CAPACITY - len(places)} places free while {len(still)} wait")
    problems += services.credits.verify_ledger()
    return problems, len(places), promotions


def _gym(services):
    kind = services.appointment_types.create(
        name="Small Group PT", duration_minutes=60, capacity=CAPACITY, **acting(None)
    ).value.id
    desks = [
        services.staff.create(name=f"Desk {i}", role="front_desk", **acting(None)).value.id
        for i in range(race.PROCESSES)
    ]
    return kind, desks


def test_eight_desks_booking_the_last_place_one_gets_it(services, database, backend):
    kind, desks = _gym(services)
    tally = race.Tally(
        "last place of a group session",
        backend,
        describe=lambda worst: f"the session held at most {worst} of {CAPACITY}",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            coach, start, inside = _session(services, n, kind)
            services.booking.cancel(AppointmentId(inside[0]), **acting(None))
            hopefuls = [_member(services, f"Hope{i} {n}", kind) for i in range(race.PROCESSES)]
            tasks = [
                ("book", (member, kind, coach, start), desk)
                for member, desk in zip(hopefuls, desks, strict=True)
            ]
            results = running.race(tasks)
            problems, held = _check_last_place(services, results, coach, start, hopefuls, kind)
            tally.record(results, problems, measure=held)
    tally.report()


def test_cancellations_against_promotion_never_overfill_or_promote_twice(
    services, database, backend
):
    kind, desks = _gym(services)
    tally = race.Tally(
        "cancel vs promotion",
        backend,
        describe=lambda worst: f"the session held at most {worst} of {CAPACITY}",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            coach, start, inside = _session(services, n, kind)
            # Two credits each: only the locks, not a lone credit, keep a promotion single.
            waiting = [_member(services, f"Wait{i} {n}", kind, credits=2) for i in range(6)]
            entries = [_wait(services, m, kind, coach, start) for m in waiting]
            walk_ins = [_member(services, f"Walk{i} {n}", kind) for i in range(2)]
            tasks = [("cancel", appt, desks[i]) for i, appt in enumerate(inside)]
            tasks += [("leave", entries[2 + i], desks[4 + i]) for i in range(2)]
            tasks += [
                ("book", (m, kind, coach, start), desks[6 + i]) for i, m in enumerate(walk_ins)
            ]
            results = running.race(tasks)
            problems, held, _promoted = _check_churn(services, coach, start, kind, waiting)
            for r in results:
                if r.status == "error":
                    problems.append(f"desk {r.worker} crashed")
            tally.record(results, problems, measure=held)
    tally.report()
