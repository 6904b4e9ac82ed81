"""The filter every report shares (plan, package, member status, type, coach) and
payments by method, on the small fixed gym (tests/services/reports/small_gym.py),
worked out by hand and checked against the ledger's own sums."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from desk.services.container import Services
from desk.services.core.errors import ValidationError
from desk.services.core.ids import MemberId
from desk.services.reports.filters import ReportFilter
from tests.actors import SYSTEM
from tests.services.reports.small_gym import SmallGym

MARCH_1, MARCH_4, MARCH_6 = date(2026, 3, 1), date(2026, 3, 4), date(2026, 3, 6)


def _package(services: Services) -> int:
    (package,) = [p.id for p in services.catalog.packages() if p.name == "3 PT"]
    return package


def _cat_on_a_plan(services: Services, gym: SmallGym) -> int:
    """Cat on "Monthly Yoga" ($40.00, 4 Yoga a month) from 03-01, billed through 03-01."""
    plan = services.catalog.save_plan(
        name="Monthly Yoga", period="month", billing_day=1, price_cents=4_000,
        credits=[(gym.yoga, 4)], actor=SYSTEM,
    ).value  # fmt: skip
    services.sales.assign_plan(
        member_id=MemberId(gym.cat), plan_id=plan.id, starts_on=MARCH_1, actor=SYSTEM
    )
    services.sales.run_billing(through=MARCH_1, actor=SYSTEM)
    return plan.id


def test_payments_are_totalled_by_method(services: Services, gym: SmallGym):
    # Ann's package was paid at the desk (cash, the default); Cat pays $10.00 of her
    # towel by card on 03-04 (the tests' clock).
    services.account.record_payment(MemberId(gym.cat), 1_000, method="card", actor=SYSTEM)
    got = services.reports.sales(MARCH_1, MARCH_4, actor=SYSTEM)
    assert got.total.by_method == {"cash": 10_000, "card": 1_000}
    assert [(m.value, c) for m, c in got.total.payments_by_method()] == [
        ("cash", 10_000), ("card", 1_000), ("transfer", 0), ("other", 0),
    ]  # fmt: skip
    day = services.reports.end_of_day(MARCH_4, actor=SYSTEM)
    assert day.money.by_method == {"card": 1_000}
    with services.db.read() as session:
        paid = dict(session.execute(text(
            "SELECT method, SUM(amount_cents) FROM account_entries WHERE kind = 'payment' "
            "GROUP BY method"
        )).all())  # fmt: skip
    assert paid == got.total.by_method
    assert sum(paid.values()) == got.total.payment_cents
    table = services.reports.table("sales", first=MARCH_1, last=MARCH_4, actor=SYSTEM)
    paid_rows = {row[0]: row[5] for row in table.rows if str(row[0]).startswith("Paid by")}
    assert paid_rows == {"Paid by cash": 10_000, "Paid by card": 1_000,
                         "Paid by transfer": 0, "Paid by other": 0}  # fmt: skip
    closing = services.reports.table("end-of-day", as_of=MARCH_4, actor=SYSTEM)
    assert ("money", None, "", "", "paid by card", 1_000) in closing.rows


def test_a_payment_from_before_methods_is_unknown(services: Services, gym: SmallGym):
    with services.db.write() as session:  # what migration 0011 does to older rows
        session.execute(text("UPDATE account_entries SET method = 'unknown' "
                             "WHERE kind = 'payment'"))  # fmt: skip
    got = services.reports.sales(MARCH_1, MARCH_4, actor=SYSTEM)
    assert got.total.payments_by_method()[-1][0].value == "unknown"
    assert got.total.by_method == {"unknown": 10_000}


def test_a_payment_needs_a_method_one_can_record(services: Services, gym: SmallGym):
    for method in ("bitcoin", "unknown"):
        with pytest.raises(ValidationError) as caught:
            services.account.record_payment(MemberId(gym.cat), 1_000, method=method, actor=SYSTEM)
        assert caught.value.field == "method"


def test_liability_expiring_and_attendance_of_one_package(services: Services, gym: SmallGym):
    only = ReportFilter(package_id=_package(services))
    # Lot A alone: 3 PT at 10000; a1 used, a2 forfeited: the last credit, 3334.
    got = services.reports.liability(MARCH_4, filters=only, actor=SYSTEM)
    assert (got.credits, got.value_cents) == (1, 3_334)
    assert [(g.label, g.value_cents) for g in got.by_source] == [("sold", 3_334)]
    moved = services.reports.liability_movement(MARCH_1, MARCH_4, filters=only, actor=SYSTEM)
    assert (moved.sold_cents, moved.used_cents, moved.forfeited_cents) == (10_000, 3_333, 3_333)
    assert moved.rolled_forward_cents == moved.closing_cents == 3_334
    expiring = services.reports.expiring(30, on=MARCH_4, filters=only, actor=SYSTEM)
    assert [r.name for r in expiring.rows] == ["Ann Smith"]
    # Sessions paid by lot A: a1 (attended) and a2 (no-show).
    seen = services.reports.attendance(MARCH_1, MARCH_6, filters=only, actor=SYSTEM)
    assert (seen.total.booked, seen.total.attended, seen.total.no_show) == (2, 1, 1)
    # Its money: the charge and the payment of lot A, nothing else.
    sold = services.reports.sales(MARCH_1, MARCH_4, filters=only, actor=SYSTEM).total
    assert (sold.package_cents, sold.payment_cents, sold.other_charge_cents) == (10_000, 10_000, 0)


def test_reports_of_one_plan(services: Services, gym: SmallGym):
    plan = _cat_on_a_plan(services, gym)
    only = ReportFilter(plan_id=plan)
    # The plan's lot: 4 Yoga, none used. A plan grants its credits at $0 (the
    # period's charge pays for the period), so they are worth nothing held.
    got = services.reports.liability(MARCH_4, filters=only, actor=SYSTEM)
    assert (got.credits, got.value_cents) == (4, 0)
    assert [g.label for g in got.by_source] == ["plan"]
    sold = services.reports.sales(MARCH_1, MARCH_4, filters=only, actor=SYSTEM).total
    assert (sold.plan_cents, sold.package_cents, sold.other_charge_cents) == (4_000, 0, 0)
    everything = services.reports.liability(MARCH_4, actor=SYSTEM)
    assert (everything.credits, everything.value_cents) == (6 + 4, 10_834)


def test_reports_of_archived_or_active_members(services: Services, gym: SmallGym):
    services.members.archive(MemberId(gym.dan), actor=SYSTEM)
    archived, active = ReportFilter(status="archived"), ReportFilter(status="active")
    # Dan's lot D: 2 Yoga comped at $0 (d1 booked on 03-06 still holds one).
    got = services.reports.liability(MARCH_4, filters=archived, actor=SYSTEM)
    assert (got.credits, got.value_cents) == (2, 0)
    rest = services.reports.liability(MARCH_4, filters=active, actor=SYSTEM)
    assert (rest.credits, rest.value_cents) == (4, 10_834)  # A's 1 + C's 3
    assert [r.name for r in services.reports.expiring(
        30, on=MARCH_4, filters=archived, actor=SYSTEM).rows] == ["Dan Smith"]  # fmt: skip
    seen = services.reports.attendance(MARCH_1, MARCH_6, filters=archived, actor=SYSTEM)
    assert (seen.total.booked, seen.total.still_open) == (1, 1)  # d1
    sold = services.reports.sales(MARCH_1, MARCH_4, filters=active, actor=SYSTEM)
    assert (sold.credit_carried_cents, sold.owed_cents) == (2_500, 1_500)  # Bob; Cat
    with pytest.raises(ValidationError):
        services.reports.liability(MARCH_4, filters=ReportFilter(status="gone"), actor=SYSTEM)


def test_a_report_ignores_the_filters_it_does_not_take(services: Services, gym: SmallGym):
    only = ReportFilter(package_id=_package(services), status="archived")
    assert services.reports.table("coach-pay", first=MARCH_1, last=MARCH_4, filters=only,
                                  actor=SYSTEM) == services.reports.table(
        "coach-pay", first=MARCH_1, last=MARCH_4, actor=SYSTEM)  # fmt: skip


def test_the_liability_is_the_ledgers_held_credits(services: Services, gym: SmallGym):
    """Cross-check: each usable lot holds its remaining credits plus those booked on
    sessions not yet consumed; the report's total is theirs, valued lot by lot."""
    _cat_on_a_plan(services, gym)
    from desk.services.credits.lot_value import value_of_credits

    with services.db.read() as session:
        lots = session.execute(text(
            "SELECT l.id, l.price_cents, l.quantity, l.remaining + ("
            " SELECT COUNT(*) FROM appointments a WHERE a.lot_id = l.id"
            " AND a.status = 'booked') FROM credit_lots l"
            " WHERE l.expires_on IS NULL OR l.expires_on >= :on"
        ), {"on": "2026-03-04"}).all()  # fmt: skip
    held = sum(n for *_, n in lots)
    value = sum(value_of_credits(price, quantity, n) for _, price, quantity, n in lots)
    got = services.reports.liability(MARCH_4, actor=SYSTEM)
    assert (got.credits, got.value_cents) == (held, value) == (10, 10_834)
