"""Eight desks move one series at once, and eight desks undo one move at once.

Moving "this and the following" reads the series' later sessions and where they
are, then writes each one's new time; undoing a move reads where each session is
now and moves it back only if the move left it there. Both lock the dragged
appointment's row first (then the later ones, then the coaches), so desks queue:

- eight desks each drag the first of a four-week series to their own hour, "this
  and the following": every move goes through, one after another, and after the
  round the four sessions are still a week apart, all at the hour of one desk,
  with one audit event per desk that moved them;
- eight desks undo the same series move: one puts it back, the other seven find
  the sessions no longer where the move left them (InvalidState), and the round
  ends with the series at its old times and one undo in the audit log.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from desk.services.calendar.recurrence import Repeat
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.conftest import GYM_TZ
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
WEEK = timedelta(days=7)

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _series(services, n, kind):
    """A fresh member's four weekly sessions with a coach of their own (no round's
    sessions are in another's way), starting on day n + 1 at 06:00 in New York."""
    coach = _staff(services, f"Kim {n}", "coach")
    member = services.members.create(first_name="Ann", last_name=f"Round {n}", **acting(None))
    member_id = MemberId(member.value.id)
    services.credits.add_credits(
        member_id=member_id, appointment_type_id=AppointmentTypeId(kind), quantity=4,
        expires_on=None, **acting(None),
    )  # fmt: skip
    booked = services.booking.book_series(
        member_id=member_id, appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(coach), starts_at=race.NOW + timedelta(days=n + 1, hours=-4),
        repeat=Repeat(count=4), **acting(None),
    ).value.booked  # fmt: skip
    return member_id, [a.id for a in booked]


def _move_all(services, first, hours, desk=None):
    """Move the series to ``hours`` after 06:00 on its first day, in New York."""
    start = services.booking.get(AppointmentId(first)).starts_at.astimezone(GYM_TZ)
    start = start.replace(hour=6) + timedelta(hours=hours)
    return services.booking.move(
        AppointmentId(first), starts_at=start, following=True, **acting(desk)
    ).value


def _undo(services, moved, desk):
    return services.booking.undo_move(moved, **acting(desk)).value.first.after.id


def _starts(services, ids):
    return [services.booking.get(AppointmentId(i)).starts_at for i in ids]


def _events(services, member, action):
    return len(services.audit.events(member_id=member, action=action))


# --- the desks ---------------------------------------------------------------------------------


def act(services, index, task):
    """Move the series to this desk's hour, or undo the move given."""
    action, what, desk = task
    if action == "move":
        first, hours = what
        return _move_all(services, first, hours, desk)
    return _undo(services, what, desk)


def _check_moves(services, results, member, ids):
    problems = []
    for r in results:
        if r.status != "ok":
            problems.append(f"desk {r.worker} was {r.status}: {r.error}")
    starts = [s.astimezone(GYM_TZ).replace(tzinfo=None) for s in _starts(services, ids)]
    gaps = {b - a for a, b in itertools.pairwise(starts)}
    if gaps != {WEEK}:
        problems.append(f"the sessions are no longer a week apart: {sorted(gaps)}")
    hours = {s.hour for s in starts}
    if len(hours) != 1:
        problems.append(f"the sessions are at different hours {sorted(hours)}")
    moved = _events(services, member, "appointment.reschedule_series")
    ok = sum(1 for r in results if r.status == "ok")
    if moved != ok:
        problems.append(f"{moved} series moves audited for {ok} desks that moved it")
    return problems, len(gaps)


def _check_undos(services, results, member, ids, before):
    problems = []
    ok = [r for r in results if r.status == "ok"]
    if len(ok) != 1:
        problems.append(f"{len(ok)} desks undid the move (expected exactly 1)")
    for r in results:
        if r.status == "refused" and not r.error.startswith("InvalidState"):
            problems.append(f"desk {r.worker} was refused for another reason: {r.error}")
    if _starts(services, ids) != before:
        problems.append("the series is not back at its old times")
    undone = _events(services, member, "appointment.undo_move")
    if undone != 1:
        problems.append(f"{undone} undos in the audit log (expected 1)")
    return problems, len(ok)


def _gym(services):
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    desks = [_staff(services, f"Desk {i}", "front_desk") for i in range(race.PROCESSES)]
    return kind, desks


def test_eight_desks_moving_one_series_keep_it_a_week_apart(services, database, backend):
    kind, desks = _gym(services)
    tally = race.Tally(
        "move series",
        backend,
        describe=lambda worst: f"at most {worst} different gaps between sessions",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, ids = _series(services, n, kind)
            tasks = [("move", (ids[0], 1 + i), desk) for i, desk in enumerate(desks)]
            results = running.race(tasks)
            problems, gaps = _check_moves(services, results, member, ids)
            tally.record(results, problems, measure=gaps)
    tally.report()


def test_eight_desks_undoing_one_move_undo_it_once(services, database, backend):
    kind, desks = _gym(services)
    tally = race.Tally(
        "undo series move",
        backend,
        describe=lambda worst: f"at most {worst} desks undid one move",
        worse="up",
    )
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, ids = _series(services, n, kind)
            before = _starts(services, ids)
            moved = _move_all(services, ids[0], 3)
            results = running.race([("undo", moved, desk) for desk in desks])
            problems, undid = _check_undos(services, results, member, ids, before)
            tally.record(results, problems, measure=undid)
    tally.report()
