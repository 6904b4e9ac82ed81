"""Eight desks charge or waive one fee at once: one fee per no-show, one waiver per fee.

Each round a member with one credit has a session that started an hour or more
ago, of a type with a $20 no-show fee. In the first race eight front desks mark
it a no-show at the same moment: the status change locks the appointment row
before it reads the status, so one marks it (and charges the fee in the same
transaction) and seven are refused with InvalidState ("already no show"); the
fee's idempotency key (appointment, how many fees it had) backs that up. In the
second race the no-show is marked first and eight admins waive its fee: the
waiver locks the member's account before it looks for an earlier waiver, so one
waives and seven are refused ("waived already"); the UNIQUE waiver per fee backs
that up. After every round the account holds exactly the entries expected and
its balance is their sum.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from desk.models import AccountEntry
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
FEE = 2_000

# --- service calls (the only lines that name who acts; see race_harness.acting) ---------------


def _staff(services, name, role):
    return services.staff.create(name=name, role=role, **acting(None)).value.id


def _session(services, n, kind, coach, *, no_show):
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
    if no_show:
        services.booking.no_show(AppointmentId(appt.id), **acting(None))
    return member_id, appt.id


def act(services, index, task):
    """Mark the no-show, or waive its fee, at one desk."""
    action, target, desk = task
    if action == "no-show":
        return services.booking.no_show(AppointmentId(target), **acting(desk)).value.status.value
    return services.fees.waive(target, reason="first time", **acting(desk)).value.waived


# --- the check ---------------------------------------------------------------------------------


def _check(database, results, member, expected_kinds, refusal):
    problems = []
    ok = [r for r in results if r.status == "ok"]
    if len(ok) != 1:
        problems.append(f"{len(ok)} desks went through (expected exactly 1)")
    for r in results:
        if r.status == "refused" and not r.error.startswith("InvalidState"):
            problems.append(f"desk {r.worker} was refused for another reason: {r.error}")
        if r.status == "refused" and refusal not in r.error:
            problems.append(f"desk {r.worker}: {r.error}")
        if r.status == "error":
            problems.append(f"desk {r.worker} failed: {r.error}")
    with database.read() as session:
        kinds = list(
            session.scalars(
                select(AccountEntry.kind)
                .where(AccountEntry.member_id == member)
                .order_by(AccountEntry.id)
            )
        )
        total = session.scalar(
            select(func.coalesce(func.sum(AccountEntry.amount_cents), 0)).where(
                AccountEntry.member_id == member
            )
        )
    if kinds != expected_kinds:
        problems.append(f"account entries {kinds} (expected {expected_kinds})")
    expected_total = -FEE if expected_kinds == ["fee"] else 0
    if total != expected_total:
        problems.append(f"balance {total} (expected {expected_total})")
    return problems, kinds


def _gym(services, role):
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    services.appointment_types.set_fees(
        AppointmentTypeId(kind), no_show_fee_cents=FEE, **acting(None)
    )
    coach = _staff(services, "Kim", "coach")
    desks = [_staff(services, f"Desk {i}", role) for i in range(race.PROCESSES)]
    return kind, coach, desks


def test_eight_desks_marking_one_no_show_charge_its_fee_once(services, database, backend):
    kind, coach, desks = _gym(services, "front_desk")
    tally = race.Tally(
        "no-show fee", backend, describe=lambda worst: f"at most {worst} fees on one no-show",
        worse="up",
    )  # fmt: skip
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, appointment = _session(services, n, kind, coach, no_show=False)
            results = running.race([("no-show", appointment, desk) for desk in desks])
            problems, kinds = _check(database, results, member, ["fee"], "already no show")
            tally.record(results, problems, measure=kinds.count("fee"))
    tally.report()


def test_eight_desks_waiving_one_fee_waive_it_once(services, database, backend):
    kind, coach, desks = _gym(services, "admin")
    tally = race.Tally(
        "waive fee", backend, describe=lambda worst: f"at most {worst} waivers of one fee",
        worse="up",
    )  # fmt: skip
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member, _appointment = _session(services, n, kind, coach, no_show=True)
            [fee] = services.fees.fees(member)
            results = running.race([("waive", fee.id, desk) for desk in desks])
            problems, kinds = _check(database, results, member, ["fee", "waiver"], "waived already")
            tally.record(results, problems, measure=kinds.count("waiver"))
    tally.report()
