"""Transfers, merges and expiry changes raced against bookings and the expiry run.

Transfer: four desks book a member's last four credits while four others
transfer single credits of the same lot to another member. Every credit goes
one way exactly once: four desks succeed, four are refused, no lot goes below
zero, the cache equals the entries, and what the new lots are worth plus what
the old one still holds never exceeds its price.

Merge: one desk merges a duplicate into the survivor while seven desks book
one or the other. Every appointment ends up paid by a lot of its own member,
and once the merge went through nothing belongs to the duplicate any more.
(A booking's take is conditional on the lot still being the member's; before,
a booking of the duplicate that read it as active could land after the merge
had moved its lots.)

Expiry: four desks move every lot expiring on 5 March ten days on while four
run the expiry as of 6 March. Each lot is either extended with its credits
intact or expired on its old date, never both (the expire take is conditional
on the date as well as on what is left).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from desk.models import Appointment, AuditEvent, CreditEntry, CreditLot, EntryKind
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.credits.lot_changes import ExpiryFilter, ExpiryShift
from desk.services.credits.lot_value import value_of_credits
from tests.services import race_harness as race
from tests.services.factories import at_local
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)
PRICE = 10_000
OLD = date(2026, 3, 5)
NEW = date(2026, 3, 15)


def _setup(services):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    desks = [
        services.staff.create(name=f"Desk {i}", role="admin", **acting(None)).value.id
        for i in range(race.PROCESSES)
    ]
    kind = services.appointment_types.create(
        name="Personal training", duration_minutes=60, **acting(None)
    ).value.id
    return owner, desks, kind


def _member(services, name, owner):
    return services.members.create(first_name=name, last_name="R", **acting(owner)).value.id


def _lot(services, member, kind, owner, quantity, expires_on=None):
    return services.credits.add_credits(
        member_id=MemberId(member),
        appointment_type_id=AppointmentTypeId(kind),
        quantity=quantity,
        expires_on=expires_on,
        price_cents=PRICE,
        note="race",
        **acting(owner),
    ).value.id


def act(services, index, task):
    action, args, desk = task
    if action == "book":
        member, kind, staff, starts = args
        return services.booking.book(
            member_id=MemberId(member),
            appointment_type_id=AppointmentTypeId(kind),
            staff_id=StaffId(staff),
            starts_at=starts,
            **acting(desk),
        ).value.id
    if action == "transfer":
        lot, to = args
        return services.lot_changes.transfer(
            lot, to_member_id=MemberId(to), quantity=1, reason="race", **acting(desk)
        ).value.to_lot_id
    if action == "merge":
        dup, keep = args
        return services.merges.merge(
            MemberId(dup), into_member_id=MemberId(keep), reason="race", **acting(desk)
        ).value.appointments
    if action == "extend":
        which = ExpiryFilter(OLD, OLD)
        return len(
            services.lot_changes.change_expiries(
                which, ExpiryShift(days=(NEW - OLD).days), **acting(desk)
            ).value
        )
    if action == "expire":
        return services.credits.expire_due(date(2026, 3, 6), **acting(desk)).value
    raise AssertionError(action)


def _cache_problems(session, lot_ids):
    problems = []
    for lot_id in lot_ids:
        remaining = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot_id))
        ledger = session.scalar(
            select(func.coalesce(func.sum(CreditEntry.delta), 0)).where(
                CreditEntry.lot_id == lot_id
            )
        )
        if remaining != ledger or remaining < 0:
            problems.append(f"lot {lot_id} holds {remaining}, its entries {ledger}")
    return problems


def test_transfers_and_bookings_on_one_lot_move_each_credit_once(services, database, backend):
    owner, desks, kind = _setup(services)
    coaches = [services.staff.create(name=f"Coach {i}", **acting(None)).value.id for i in range(4)]
    tally = race.Tally(
        "transfer vs booking",
        backend,
        describe=lambda worst: f"{worst or 0} credits moved at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            giver, taker = (
                _member(services, f"Giver{n}", owner),
                _member(services, f"Taker{n}", owner),
            )
            lot = _lot(services, giver, kind, owner, 4)
            starts = at_local(2026, 4, 1, 8) + timedelta(days=n)
            tasks = [
                ("book", (giver, kind, coaches[i], starts + timedelta(hours=i)), desks[i])
                for i in range(4)
            ]
            tasks += [("transfer", (lot, taker), desk) for desk in desks[4:]]
            results = running.race(tasks)
            ok = [r for r in results if r.status == "ok"]
            problems = [] if len(ok) == 4 else [f"{len(ok)} desks succeeded, expected 4"]
            problems += [
                f"desk {r.worker}: {r.error}"
                for r in results
                if r.status == "refused" and not r.error.startswith("InsufficientCredits")
            ]
            with database.read() as session:
                new = session.execute(
                    select(CreditLot.id, CreditLot.quantity, CreditLot.price_cents).where(
                        CreditLot.transferred_from_lot_id == lot
                    )
                ).all()
                booked = session.scalar(select(func.count()).where(Appointment.lot_id == lot))
                left = session.scalar(select(CreditLot.remaining).where(CreditLot.id == lot))
                problems += _cache_problems(session, [lot, *(row.id for row in new)])
            moved = sum(row.quantity for row in new)
            if moved + booked + left != 4:
                problems.append(f"{moved} moved + {booked} booked + {left} left != 4")
            if value_of_credits(PRICE, 4, left or 0) + sum(r.price_cents for r in new) > PRICE:
                problems.append("the lots are worth more than was paid")
            tally.record(results, problems, measure=moved + booked)
    tally.report()


def test_a_merge_and_bookings_of_either_member_leave_every_booking_on_its_payer(
    services, database, backend
):
    owner, desks, kind = _setup(services)
    coaches = [services.staff.create(name=f"Coach {i}", **acting(None)).value.id for i in range(7)]
    tally = race.Tally(
        "merge vs booking",
        backend,
        describe=lambda worst: f"{worst or 0} bookings off their payer at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            dup, keep = _member(services, f"Dup{n}", owner), _member(services, f"Keep{n}", owner)
            _lot(services, dup, kind, owner, 4)
            _lot(services, keep, kind, owner, 4)
            starts = at_local(2026, 4, 1, 8) + timedelta(days=n)
            tasks = [("merge", (dup, keep), desks[0])]
            tasks += [
                ("book", ((dup, keep)[i % 2], kind, coaches[i], starts), desks[i + 1])
                for i in range(7)
            ]
            results = running.race(tasks)
            merged = results_of(results, "merge")
            problems = [f"merge: {r.error}" for r in merged if r.status != "ok"]
            with database.read() as session:
                off = (
                    session.scalar(
                        select(func.count())
                        .select_from(Appointment)
                        .join(CreditLot, CreditLot.id == Appointment.lot_id)
                        .where(
                            Appointment.member_id.in_((dup, keep)),
                            Appointment.member_id != CreditLot.member_id,
                        )
                    )
                    or 0
                )
                left_on_dup = (
                    session.scalar(
                        select(func.count())
                        .select_from(Appointment)
                        .where(Appointment.member_id == dup)
                    )
                    or 0
                )
                lots_of_dup = (
                    session.scalar(
                        select(func.count())
                        .select_from(CreditLot)
                        .where(CreditLot.member_id == dup)
                    )
                    or 0
                )
            if off:
                problems.append(f"{off} bookings paid by another member's lot")
            if left_on_dup or lots_of_dup:
                problems.append(
                    f"{left_on_dup} bookings and {lots_of_dup} lots left on the duplicate"
                )
            tally.record(results, problems, measure=off)
    tally.report()


def results_of(results, action):
    return [r for r in results if r.task[0] == action]


def test_a_bulk_extension_and_the_expiry_run_never_both_take_a_lot(services, database, backend):
    owner, desks, kind = _setup(services)
    tally = race.Tally(
        "bulk extend vs expire",
        backend,
        describe=lambda worst: f"{worst or 0} lots extended and expired at worst",
    )
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            member = _member(services, f"Ex{n}", owner)
            lots = [_lot(services, member, kind, owner, 2, expires_on=OLD) for _ in range(3)]
            tasks = [("extend" if i % 2 else "expire", None, desk) for i, desk in enumerate(desks)]
            results = running.race(tasks)
            problems = [f"desk {r.worker}: {r.error}" for r in results if r.status != "ok"]
            both = 0
            with database.read() as session:
                for lot in lots:
                    expires_on, remaining = session.execute(
                        select(CreditLot.expires_on, CreditLot.remaining).where(CreditLot.id == lot)
                    ).one()
                    expired = session.scalar(
                        select(func.count()).where(
                            CreditEntry.lot_id == lot, CreditEntry.kind == EntryKind.EXPIRE.value
                        )
                    )
                    moved = session.scalar(
                        select(func.count()).where(
                            AuditEvent.entity_id == lot, AuditEvent.action == "credits.expiry"
                        )
                    )
                    if (expires_on, remaining, expired, moved) not in (
                        (NEW, 2, 0, 1),
                        (OLD, 0, 1, 0),
                    ):
                        both += 1
                        problems.append(
                            f"lot {lot}: expires {expires_on}, {remaining} left, "
                            f"{expired} expire entries, {moved} date changes"
                        )
                problems += _cache_problems(session, lots)
            tally.record(results, problems, measure=both)
    tally.report()
