"""Races of issue 18 items 1 and 6: a picked lot's last credit, a first-use lot's first
booking.

Pick: eight desks book the same member at once, each picking the same lot, which
holds one credit (another lot, the default, holds plenty). Exactly one booking
is paid by the picked lot; the seven others are refused naming it (their take,
the conditional update in ledger.take_one, found nothing left and the retry's
check said so); the default lot is untouched; each lot's cache equals its entries.

First use: eight desks book the first sessions of a lot valid 10 days from first
use, on eight different days 0..21 days away. Whichever booking commits first
dates the lot; every booking that went through is on or before that date (the
take is conditional on the lot still being open on the session's day), and the
date is the first committed booking's day + 10.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from desk.models import Appointment, CreditLot
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.services import race_harness as race
from tests.services.credits.test_credit_life_race import _cache_problems, _lot, _member, _setup
from tests.services.factories import GYM_TZ, at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)


def act(services, index, task):
    _action, args, desk = task
    member, kind, staff, starts, lot = args
    return services.booking.book(
        member_id=MemberId(member),
        appointment_type_id=AppointmentTypeId(kind),
        staff_id=StaffId(staff),
        starts_at=starts,
        lot_id=lot,
        **acting(desk),
    ).value.lot_id


def test_eight_desks_picking_a_lot_with_one_credit_left_book_it_once(services, database, backend):
    owner, desks, kind = _setup(services)
    coaches = [services.staff.create(name=f"Coach {i}", **acting(None)).value.id for i in range(8)]
    tally = race.Tally(
        "picked lot's last credit",
        backend,
        describe=lambda worst: f"{worst or 0} bookings paid by the picked lot at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member(services, f"Pick{n}", owner)
            usual = _lot(services, member, kind, owner, 8, expires_on=date(2026, 12, 1))
            picked = _lot(services, member, kind, owner, 1)
            starts = at_local(2026, 4, 1, 8) + timedelta(days=n)
            tasks = [
                ("book", (member, kind, coaches[i], starts, picked), desks[i]) for i in range(8)
            ]
            results = running.race(tasks)
            ok = [r for r in results if r.status == "ok"]
            problems = [] if len(ok) == 1 else [f"{len(ok)} desks booked, expected 1"]
            problems += [f"desk {r.worker} paid by lot {r.value}" for r in ok if r.value != picked]
            problems += [
                f"desk {r.worker}: {r.error}"
                for r in results
                if r.status == "refused" and f"lot #{picked}" not in r.error
            ]
            with database.read() as session:
                paid = session.scalar(select(func.count()).where(Appointment.lot_id == picked))
                left = dict(
                    session.execute(
                        select(CreditLot.id, CreditLot.remaining).where(
                            CreditLot.id.in_((usual, picked))
                        )
                    ).all()
                )
                problems += _cache_problems(session, [usual, picked])
            if left != {usual: 8, picked: 0}:
                problems.append(f"lots hold {left}")
            tally.record(results, problems, measure=paid)
    tally.report()


def test_eight_desks_booking_a_first_use_lot_at_once_stay_within_the_date_it_gets(
    services, database, backend
):
    owner, desks, kind = _setup(services)
    coaches = [services.staff.create(name=f"Coach {i}", **acting(None)).value.id for i in range(8)]
    package = services.catalog.save_package(
        name="10 from first use", appointment_type_id=kind, credits=10, price_cents=10_000,
        validity_days=None, first_use_days=10, **acting(owner),
    ).value  # fmt: skip
    tally = race.Tally(
        "first use",
        backend,
        describe=lambda worst: f"{worst or 0} bookings after the lot's expiry at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member(services, f"First{n}", owner)
            lot = services.sales.sell_package(
                member_id=MemberId(member), package_id=package.id, **acting(owner)
            ).value.lot.id
            starts = at_local(2026, 4, 1, 8) + timedelta(days=n)
            tasks = [
                ("book", (member, kind, coaches[i], starts + timedelta(days=3 * i), None), desks[i])
                for i in range(8)
            ]
            results = running.race(tasks)
            problems = [f"desk {r.worker}: {r.error}" for r in results if r.status == "error"]
            with database.read() as session:
                expires_on = session.scalar(select(CreditLot.expires_on).where(CreditLot.id == lot))
                days = [
                    at.astimezone(GYM_TZ).date()
                    for at, _id in session.execute(
                        select(Appointment.starts_at, Appointment.id)
                        .where(Appointment.lot_id == lot)
                        .order_by(Appointment.id)
                    ).all()
                ]
                problems += _cache_problems(session, [lot])
            late = sum(1 for day in days if expires_on is None or day > expires_on)
            if late:
                problems.append(f"{late} bookings after the lot's expiry {expires_on}")
            if not days or expires_on != days[0] + timedelta(days=10):
                problems.append(f"expires {expires_on}, first booking on {days[:1]}")
            tally.record(results, problems, measure=late)
    tally.report()
