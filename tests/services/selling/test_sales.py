"""Packages, plans, billing runs, voids and the account's carry-over."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desk.services.core.errors import InvalidState, ValidationError
from desk.services.core.ids import MemberId
from desk.services.selling.billing_periods import periods
from tests.actors import SYSTEM


@pytest.fixture
def shop(services):
    pt = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    massage = services.appointment_types.create(
        name="Massage", duration_minutes=45, actor=SYSTEM
    ).value
    member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    return services, MemberId(member.id), pt.id, massage.id


def monthly(services, pt, **kwargs):
    values = {
        "name": "Monthly PT",
        "period": "month",
        "billing_day": 1,
        "price_cents": 25_000,
        "credits": [(pt, 4)],
    }
    values.update(kwargs)
    return services.catalog.save_plan(**values, actor=SYSTEM).value


def test_carry_over_example_from_the_help_center(shop):
    """$400 of account credit on a $250 monthly bill leaves $150 for next month."""
    services, member, pt, _ = shop
    plan = monthly(services, pt)
    services.account.add_credit(member, 40_000, note="prepaid", actor=SYSTEM)
    services.sales.assign_plan(
        member_id=member, plan_id=plan.id, starts_on=date(2026, 3, 1), actor=SYSTEM
    )
    services.sales.run_billing(through=date(2026, 3, 1), actor=SYSTEM)
    assert services.account.balance(member) == 15_000
    charge = services.account.charge(
        member, 25_000, note="April, billed by hand", actor=SYSTEM
    ).value
    assert charge.paid_from_credit_cents == 15_000
    assert charge.owed_cents == 10_000
    assert charge.balance_after_cents == -10_000


def test_month_periods_follow_short_months_and_the_billing_day():
    got = periods(
        period="month", starts_on=date(2026, 1, 31), through=date(2026, 4, 30), billing_day=31
    )
    assert got == [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2026, 2, 28), date(2026, 3, 31)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 4, 30), date(2026, 5, 31)),
    ]
    mid_month = periods(
        period="month", starts_on=date(2026, 1, 15), through=date(2026, 2, 1), billing_day=1
    )
    assert mid_month == [
        (date(2026, 1, 15), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 3, 1)),
    ]


def test_yearly_periods_keep_the_leap_day():
    got = periods(period="year", starts_on=date(2024, 2, 29), through=date(2028, 2, 29))
    assert [start for start, _ in got] == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_weekly_and_one_off_periods_stop_at_the_end():
    weekly = periods(
        period="week",
        starts_on=date(2026, 1, 1),
        through=date(2026, 2, 1),
        ends_on=date(2026, 1, 20),
    )
    assert weekly == [
        (date(2026, 1, 1), date(2026, 1, 8)),
        (date(2026, 1, 8), date(2026, 1, 15)),
        (date(2026, 1, 15), date(2026, 1, 20)),
    ]
    assert periods(
        period="once", starts_on=date(2026, 1, 1), through=date(2027, 1, 1), term_days=90
    ) == [(date(2026, 1, 1), date(2026, 4, 1))]


def test_assigning_a_plan_bills_its_started_periods_at_once_and_a_run_bills_none_again(shop, clock):
    services, member, pt, _ = shop
    plan = monthly(services, pt)
    assigned = services.sales.assign_plan(
        member_id=member, plan_id=plan.id, starts_on=date(2026, 1, 1), actor=SYSTEM
    )  # the clock says 4 March: January to March have started
    assert assigned.changes.credits == frozenset({member})
    [event] = services.audit.events(action="sales.assign_plan")
    assert event.after is not None
    assert (event.after["periods_billed"], event.after["charged_cents"]) == (3, 75_000)
    again = services.sales.run_billing(through=date(2026, 3, 1), actor=SYSTEM)
    assert again.value.periods_billed == 0
    assert again.changes.empty
    lots = services.credits.lots(member, include_expired=True)
    assert sorted((lot.expires_on, lot.quantity, lot.source.value) for lot in lots) == [
        (date(2026, 1, 31), 4, "plan"),
        (date(2026, 2, 28), 4, "plan"),
        (date(2026, 3, 31), 4, "plan"),
    ]
    assert services.account.balance(member) == -75_000
    assert services.credits.verify_ledger() == []


def test_roll_over_is_capped(shop, clock):
    services, member, pt, _ = shop
    plan = monthly(services, pt, unused="roll_over", rollover_cap=2)
    services.sales.assign_plan(
        member_id=member, plan_id=plan.id, starts_on=date(2026, 3, 1), actor=SYSTEM
    )
    services.sales.run_billing(through=date(2026, 3, 1), actor=SYSTEM)
    clock.current = datetime(2026, 4, 1, 15, 0, tzinfo=UTC)
    services.credits.expire_due(
        actor=SYSTEM
    )  # March's four unused credits are written off first ...
    services.sales.run_billing(through=date(2026, 4, 1), actor=SYSTEM)
    april = [lot for lot in services.credits.lots(member) if lot.expires_on == date(2026, 4, 30)]
    # ... and two of them (the cap) still come back in April.
    assert sorted(lot.remaining for lot in april) == [2, 4]
    row = services.credits.balances(member)[0]
    assert row.open == 6
    assert row.open + row.booked + row.used + row.expired == row.granted + row.adjusted
    assert services.credits.verify_ledger() == []


def test_expiring_plan_keeps_no_leftovers(shop, clock):
    services, member, pt, _ = shop
    plan = monthly(services, pt, unused="expire")
    services.sales.assign_plan(
        member_id=member, plan_id=plan.id, starts_on=date(2026, 3, 1), actor=SYSTEM
    )
    services.sales.run_billing(through=date(2026, 3, 1), actor=SYSTEM)
    clock.current = datetime(2026, 4, 2, 15, 0, tzinfo=UTC)
    services.sales.run_billing(through=date(2026, 4, 1), actor=SYSTEM)
    assert services.credits.open_credits(member, pt) == 4


def test_sell_package_charges_pays_and_grants(shop):
    services, member, pt, _ = shop
    package = services.catalog.save_package(
        name="10 PT",
        appointment_type_id=pt,
        credits=10,
        price_cents=85_000,
        validity_days=365,
        actor=SYSTEM,
    ).value
    sale = services.sales.sell_package(member_id=member, package_id=package.id, actor=SYSTEM).value
    assert sale.lot.source.value == "package"
    assert sale.lot.price_cents == 85_000
    assert sale.lot.expires_on == date(2027, 3, 4)
    assert sale.paid_cents == 85_000
    assert services.account.balance(member) == 0
    history = services.credits.history(member)
    assert history[0].kind.value == "sold"
    discounted = services.sales.sell_package(
        member_id=member, package_id=package.id, price_cents=70_000, paid=False, actor=SYSTEM
    ).value
    assert discounted.lot.price_cents == 70_000
    assert services.account.balance(member) == -70_000


def test_void_removes_only_unused_credits_and_refunds_their_share(shop, clock):
    services, member, pt, _ = shop
    coach = services.staff.create(name="Kim", actor=SYSTEM).value
    package = services.catalog.save_package(
        name="4 PT",
        appointment_type_id=pt,
        credits=4,
        price_cents=40_000,
        validity_days=None,
        actor=SYSTEM,
    ).value
    sale = services.sales.sell_package(member_id=member, package_id=package.id, actor=SYSTEM).value
    booked = services.booking.book(
        member_id=member,
        appointment_type_id=pt,
        staff_id=coach.id,
        starts_at=datetime(2026, 3, 5, 15, 0, tzinfo=UTC),
        actor=SYSTEM,
    ).value
    clock.current = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)  # check-in opens on the day
    services.booking.check_in(booked.id, actor=SYSTEM)
    with pytest.raises(ValidationError):
        services.sales.void_lot(sale.lot.id, reason=" ", actor=SYSTEM)
    result = services.sales.void_lot(sale.lot.id, reason="moved away", actor=SYSTEM).value
    assert result.credits_removed == 3
    assert result.refunded_cents == 30_000
    assert services.account.balance(member) == 30_000
    row = services.credits.balances(member)[0]
    assert (row.open, row.used) == (0, 1)
    with pytest.raises(InvalidState):
        services.sales.void_lot(sale.lot.id, reason="again", actor=SYSTEM)
    assert services.credits.verify_ledger() == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"period": "fortnight"}, "period"),
        ({"billing_day": 32}, "billing_day"),
        ({"price_cents": -1}, "price"),
        ({"credits": []}, "credits"),
        ({"credits": [(1, 0)]}, "credits"),
        ({"unused": "keep"}, "unused"),
        ({"period": "once", "term_days": None}, "term_days"),
        ({"name": ""}, "name"),
    ],
)
def test_plan_validation(shop, kwargs, field):
    services, _, pt, _ = shop
    with pytest.raises(ValidationError) as info:
        monthly(services, pt, **kwargs)
    assert info.value.field == field
    assert services.catalog.plans(include_inactive=True) == []


def test_assign_plan_rules(shop):
    services, member, pt, _ = shop
    plan = monthly(services, pt)
    with pytest.raises(ValidationError):
        services.sales.assign_plan(
            member_id=member,
            plan_id=plan.id,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 2, 1),
            actor=SYSTEM,
        )
    services.sales.assign_plan(
        member_id=member, plan_id=plan.id, starts_on=date(2026, 3, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError, match="already on Monthly PT"):
        services.sales.assign_plan(
            member_id=member, plan_id=plan.id, starts_on=date(2026, 4, 1), actor=SYSTEM
        )
    assert [s.plan_name for s in services.sales.subscriptions(member)] == ["Monthly PT"]


def test_account_entries_need_positive_amounts_and_credit_needs_a_note(shop):
    services, member, _, _ = shop
    with pytest.raises(ValidationError):
        services.account.record_payment(member, 0, actor=SYSTEM)
    with pytest.raises(ValidationError):
        services.account.add_credit(member, 500, note="", actor=SYSTEM)
    services.account.record_payment(member, 2_500, note="cash", actor=SYSTEM)
    assert [e.kind for e in services.account.entries(member)] == ["payment"]
    assert services.account.balance(member) == 2_500


def test_a_voided_lot_takes_no_new_credits_and_pays_for_nothing(shop):
    """After a void, adding credits opens a lot of their own and bookings come from it."""
    services, member, pt, _ = shop
    coach = services.staff.create(name="Kim", actor=SYSTEM).value
    package = services.catalog.save_package(
        name="4 PT",
        appointment_type_id=pt,
        credits=4,
        price_cents=40_000,
        validity_days=None,
        actor=SYSTEM,
    ).value
    sale = services.sales.sell_package(member_id=member, package_id=package.id, actor=SYSTEM).value
    services.sales.void_lot(sale.lot.id, reason="moved away", actor=SYSTEM)
    row = services.credits.adjust(
        member_id=member, appointment_type_id=pt, delta=2, reason="came back", actor=SYSTEM
    ).value
    assert row.open == 2
    lots = services.credits.lots(member, include_expired=True)
    voided = next(lot for lot in lots if lot.id == sale.lot.id)
    assert voided.remaining == 0
    (fresh,) = [lot for lot in lots if lot.id != sale.lot.id]
    assert (fresh.remaining, fresh.source.value) == (2, "manual")
    booked = services.booking.book(
        member_id=member,
        appointment_type_id=pt,
        staff_id=coach.id,
        starts_at=datetime(2026, 3, 5, 15, 0, tzinfo=UTC),
        actor=SYSTEM,
    ).value
    assert booked.lot_id == fresh.id
    assert services.credits.verify_ledger() == []
