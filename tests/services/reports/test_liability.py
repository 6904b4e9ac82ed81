"""Credit liability on the small fixed gym (tests/services/reports/small_gym.py),
worked out by hand and checked against the ledger with plain SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from desk.services.container import Services
from desk.services.core.errors import ValidationError
from desk.services.credits.lot_value import value_of_credits, value_of_nth_credit
from desk.services.reports.filters import ReportFilter
from desk.services.reports.liability import LiabilityGroup
from tests.actors import SYSTEM
from tests.services.reports.small_gym import SmallGym


def test_the_lot_value_rule_puts_the_remainder_on_the_last_credit() -> None:
    # 10000 / 3 = 3333 rest 1: 3333, 3333, 3334.
    assert [value_of_nth_credit(10_000, 3, n) for n in (1, 2, 3)] == [3333, 3333, 3334]
    assert [value_of_credits(10_000, 3, held) for held in (0, 1, 2, 3, 4)] == [
        0,
        3334,
        6667,
        10_000,
        10_000,
    ]
    assert value_of_nth_credit(10_000, 3, 4) == 0


def test_liability_today_by_type_source_and_expiry_month(services: Services, gym: SmallGym):
    got = services.reports.liability(date(2026, 3, 4), actor=SYSTEM)
    # A: 3 - a1 (attended) - a2 (no-show) = 1 held, the last credit: 3334.
    # B: voided, 0. C: 4 - 1 adjusted = 3 (c1 booked still held): 3 x 2499 + 3 = 7500.
    # D: 2 held (d1 booked), comped: 0. E: expired on 03-02.
    assert (got.credits, got.value_cents) == (1 + 3 + 2, 3334 + 7500)
    assert got.by_type == (LiabilityGroup("PT", 4, 10_834), LiabilityGroup("Yoga", 2, 0))
    assert got.by_source == (
        LiabilityGroup("comped", 2, 0),
        LiabilityGroup("migrated", 3, 7500),
        LiabilityGroup("sold", 1, 3334),
    )
    assert got.by_expiry_month == (
        LiabilityGroup("2026-03", 3, 3334),
        LiabilityGroup("never", 3, 7500),
    )


def test_liability_as_of_an_earlier_day(services: Services, gym: SmallGym):
    # End of 03-02: A 2 held (a1 used at 10:00) = 6667; B 1 held (b1 used at 18:00)
    # = 2500; C 4 = 9999; D 2 = 0; E expires that day, still counts: 1000.
    got = services.reports.liability(date(2026, 3, 2), actor=SYSTEM)
    assert got.value_cents == 6667 + 2500 + 9999 + 0 + 1000 == 20_166
    assert got.credits == 2 + 1 + 4 + 2 + 3
    assert services.reports.liability(date(2026, 2, 28), actor=SYSTEM).value_cents == 0


def test_the_movement_balances_to_the_cent(services: Services, gym: SmallGym):
    got = services.reports.liability_movement(date(2026, 3, 1), date(2026, 3, 4), actor=SYSTEM)
    assert got.opening_cents == 0
    assert got.sold_cents == 10_000 + 5_000 + 9_999 + 0 + 1_000  # every lot's price
    assert got.adjusted_cents == 7_500 - 9_999  # C: 4 held -> 3
    assert got.used_cents == 3_333 + 2_500  # a1 (A 3 -> 2), b1 (B 2 -> 1)
    assert got.forfeited_cents == 3_333  # a2 (A 2 -> 1)
    assert got.expired_cents == 1_000  # E at the end of 03-02
    assert got.voided_cents == 2_500  # B 1 -> 0
    assert got.closing_cents == 10_834
    assert got.rolled_forward_cents == got.closing_cents


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 3, 2), date(2026, 3, 2)),
        (date(2026, 3, 3), date(2026, 3, 31)),
        (date(2026, 2, 1), date(2026, 3, 2)),
    ],
)
def test_every_period_rolls_forward(services: Services, gym: SmallGym, first, last):
    got = services.reports.liability_movement(first, last, actor=SYSTEM)
    assert (
        got.opening_cents
        == services.reports.liability(first - timedelta(days=1), actor=SYSTEM).value_cents
    )
    assert got.closing_cents == services.reports.liability(last, actor=SYSTEM).value_cents
    assert got.rolled_forward_cents == got.closing_cents


def test_a_period_that_ends_before_it_starts_is_refused(services: Services, gym: SmallGym):
    with pytest.raises(ValidationError):
        services.reports.liability_movement(date(2026, 3, 4), date(2026, 3, 1), actor=SYSTEM)


def test_liability_agrees_with_the_ledger(services: Services, gym: SmallGym):
    """Held credits from the entries and the booked appointments, by plain SQL, valued
    here in the test: the report must agree on both the credits and the cents."""
    with services.db.read() as session:
        lots = session.execute(
            text(
                "SELECT l.id, l.price_cents, l.quantity, l.expires_on, "
                "(SELECT SUM(e.delta) FROM credit_entries e WHERE e.lot_id = l.id) + "
                "(SELECT COUNT(*) FROM appointments a WHERE a.lot_id = l.id "
                "AND a.status = 'booked') FROM credit_lots l"
            )
        ).all()
    credits = cents = 0
    for _id, price, quantity, expires_on, held in lots:
        if expires_on is not None and str(expires_on) < "2026-03-04":
            continue
        credits += held
        if held > 0:
            cents += min(held, quantity) * (price // quantity) + price % quantity
    got = services.reports.liability(date(2026, 3, 4), actor=SYSTEM)
    assert (got.credits, got.value_cents) == (credits, cents) == (6, 10_834)


def test_a_void_refunds_the_value_the_liability_report_gave(services: Services, gym: SmallGym):
    """Ann's lot A has 1 credit left, the last one: 3334 in the report, 3334 back on void."""
    before = services.reports.liability(date(2026, 3, 4), actor=SYSTEM)
    result = services.sales.void_lot(gym.lots["A"], reason="moved away", actor=SYSTEM).value
    assert (result.credits_removed, result.refunded_cents) == (1, 3334)
    after = services.reports.liability(date(2026, 3, 4), actor=SYSTEM)
    assert before.value_cents - after.value_cents == 3334


def test_liability_of_one_type(services: Services, gym: SmallGym):
    got = services.reports.liability(
        date(2026, 3, 4), filters=ReportFilter(type_id=gym.yoga), actor=SYSTEM
    )
    assert (got.credits, got.value_cents) == (2, 0)  # D: comped, 2 held
    moved = services.reports.liability_movement(
        date(2026, 3, 1), date(2026, 3, 4), filters=ReportFilter(type_id=gym.pt), actor=SYSTEM
    )
    # PT: A (10000) and C (9999) sold; C adjusted -2499; a1 used, a2 forfeited (3333 each).
    assert (moved.sold_cents, moved.adjusted_cents) == (19_999, -2_499)
    assert (moved.used_cents, moved.forfeited_cents, moved.closing_cents) == (3_333, 3_333, 10_834)
    assert moved.rolled_forward_cents == moved.closing_cents
