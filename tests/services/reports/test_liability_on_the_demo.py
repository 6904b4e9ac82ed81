"""The liability roll-forward balances to the cent on the demo gym (a believable year of
sales, bookings, no-shows, late cancels and expiries), and agrees with the ledger."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from desk.services.container import Services
from desk.services.core.clock import FixedClock, today
from desk.services.records.demo import DemoGenerator
from desk.services.reports.liability import (
    held_at,
    held_now,
    liability_as_of,
    liability_movement,
)
from desk.services.reports.periods import end_of
from tests.actors import SYSTEM


@pytest.fixture
def demo(services: Services, database, clock: FixedClock) -> Services:
    DemoGenerator(database, clock).generate(members=150, seed=3)
    return services


@pytest.mark.parametrize("days", [1, 31, 365, 800])
def test_the_roll_forward_balances_on_the_demo(demo: Services, clock: FixedClock, days: int):
    last = today(clock)
    got = demo.reports.liability_movement(last - timedelta(days=days - 1), last, actor=SYSTEM)
    if days > 1:  # the demo's today has no sale yet
        assert got.sold_cents > 0
        assert got.used_cents > 0
    assert got.closing_cents == demo.reports.liability(last, actor=SYSTEM).value_cents
    assert got.rolled_forward_cents == got.closing_cents
    first = last - timedelta(days=days - 1)
    with demo.db.read() as session:  # the cache gives what replaying the ledger gives
        assert got == liability_movement(session, first, last, clock.tz, now=clock.now())


def test_held_credits_today_agree_with_the_ledger(demo: Services, clock: FixedClock):
    on = today(clock)
    with demo.db.read() as session:
        rows = session.execute(
            text(
                "SELECT l.expires_on, COALESCE((SELECT SUM(e.delta) FROM credit_entries e "
                "WHERE e.lot_id = l.id), 0) + (SELECT COUNT(*) FROM appointments a "
                "WHERE a.lot_id = l.id AND a.status = 'booked' AND a.starts_at >= :now) "
                "FROM credit_lots l"
            ),
            {"now": clock.now().replace(tzinfo=None)},
        ).all()
    held = sum(h for expires, h in rows if expires is None or str(expires) >= on.isoformat())
    assert demo.reports.liability(on, actor=SYSTEM).credits == held > 0
    assert demo.reports.liability(date(2000, 1, 1), actor=SYSTEM).value_cents == 0


def test_todays_liability_from_the_lots_balances_is_the_entries(demo: Services, clock: FixedClock):
    """Today's liability reads the lots' cached balances (held_now); it is what the
    entries themselves give (held_at), lot by lot and in every group."""
    on = today(clock)
    moment = end_of(on, clock.tz)
    with demo.db.read() as session:
        fast = {lot: n for lot, n in held_now(session, moment).items() if n}
        slow = {lot: n for lot, n in held_at(session, moment).items() if n}
        assert fast == slow
        assert fast
        for day in (on, on + timedelta(days=40)):
            by_entries = liability_as_of(session, day, clock.tz)
            assert liability_as_of(session, day, clock.tz, now=clock.now()) == by_entries


def test_forgiven_sessions_hold_no_credit_in_todays_liability(demo: Services, clock: FixedClock):
    """A forgiven late cancel gives its credit back: today's fast read must not count
    it as held by its booking (the entries don't)."""
    from sqlalchemy import select

    from desk.models import Appointment, AppointmentStatus
    from desk.services.core.ids import AppointmentId, MemberId

    kind = demo.appointment_types.list()[0]
    member = MemberId(
        demo.members.create(first_name="For", last_name="Given", actor=SYSTEM).value.id
    )
    demo.credits.add_credits(
        member_id=member, appointment_type_id=kind.id, quantity=2, price_cents=10_000,
        expires_on=None,
        actor=SYSTEM,
    )  # fmt: skip
    slots = demo.availability.find_free_slots(
        kind.id, clock.now(), clock.now() + timedelta(days=2), limit=200
    )
    # After today (the fast read counts today's consumed sessions from the entries) and
    # inside the late-cancel window, so the cancel is late and the session still to come.
    tonight = end_of(today(clock), clock.tz)
    window = clock.now() + timedelta(hours=kind.late_cancel_hours)
    late = next(s for s in slots if tonight <= s.starts_at < window)
    booked = demo.booking.book(
        member_id=member, appointment_type_id=kind.id, staff_id=late.staff_id,
        starts_at=late.starts_at, actor=SYSTEM,
    ).value  # fmt: skip
    demo.booking.cancel(booked.id, actor=SYSTEM)
    demo.booking.forgive(AppointmentId(booked.id), reason="flat tyre", actor=SYSTEM)
    with demo.db.read() as session:
        status = session.scalar(select(Appointment.status).where(Appointment.id == booked.id))
        assert status == AppointmentStatus.LATE_CANCELLED.value
        moment = end_of(today(clock), clock.tz)
        fast = {lot: n for lot, n in held_now(session, moment).items() if n}
        slow = {lot: n for lot, n in held_at(session, moment).items() if n}
    assert fast == slow
    assert fast.get(booked.lot_id) == 2  # both credits back on the lot, none held
