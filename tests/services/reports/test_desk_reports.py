"""Expiring soon, attendance, sales and end of day on the small fixed gym
(tests/services/reports/small_gym.py), worked out by hand; totals checked against
the ledgers with plain SQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from desk.services.container import Services
from desk.services.core.errors import ValidationError
from desk.services.reports.filters import ReportFilter
from tests.actors import SYSTEM
from tests.services.factories import at_local
from tests.services.reports.small_gym import SmallGym


def test_expiring_soon_lists_who_to_call(services: Services, gym: SmallGym):
    got = services.reports.expiring(30, on=date(2026, 3, 4), actor=SYSTEM)
    # Usable lots expiring by 04-03: D (Dan, 1 open, d1 holds the other) on 03-20,
    # A (Ann, 1 open, the last credit: 3334) on 03-31. C never expires; E is gone.
    assert [(r.name, r.credits, r.value_cents, r.first_expiry) for r in got.rows] == [
        ("Dan Smith", 1, 0, date(2026, 3, 20)),
        ("Ann Smith", 1, 3334, date(2026, 3, 31)),
    ]
    dan = got.rows[0]
    assert (dan.email, dan.phone, dan.types) == ("dan@example.com", "555-0103", "Yoga")
    assert dan.next_booking == at_local(2026, 3, 6, 18)
    assert got.rows[1].next_booking is None
    assert (got.credits, got.value_cents) == (2, 3334)
    # 03-04 + 16 days is 03-20, the day Dan's expire (included); 15 days stops short.
    assert [
        r.name for r in services.reports.expiring(16, on=date(2026, 3, 4), actor=SYSTEM).rows
    ] == ["Dan Smith"]
    assert services.reports.expiring(15, on=date(2026, 3, 4), actor=SYSTEM).rows == ()
    with pytest.raises(ValidationError):
        services.reports.expiring(-1, actor=SYSTEM)


def test_attendance_by_type_coach_and_week(services: Services, gym: SmallGym):
    got = services.reports.attendance(date(2026, 3, 1), date(2026, 3, 4), actor=SYSTEM)
    # In range: a1 attended, a2 no-show (Kim, PT); b1 attended (Lee, Yoga);
    # c2 cancelled in time (Lee, PT). c1 (03-05) and d1 (03-06) are after it.
    total = got.total
    assert (total.booked, total.attended, total.no_show, total.late_cancelled) == (3, 2, 1, 0)
    assert (total.cancelled, total.still_open) == (1, 0)
    kim, lee = got.by_coach
    assert (kim.label, kim.booked, kim.attended, kim.no_show) == ("Kim Coach", 2, 1, 1)
    assert (lee.label, lee.booked, lee.attended, lee.cancelled) == ("Lee Coach", 1, 1, 1)
    assert [(r.label, r.booked) for r in got.by_type] == [("PT", 2), ("Yoga", 1)]
    assert [(r.label, r.booked) for r in got.by_week] == [("2026-03-02", 3)]  # Monday
    (ann,) = got.no_shows
    assert (ann.name, ann.sessions, ann.no_shows, ann.rate_percent) == ("Ann Smith", 2, 1, 50)
    only_lee = services.reports.attendance(
        date(2026, 3, 1), date(2026, 3, 4), filters=ReportFilter(coach_id=gym.lee), actor=SYSTEM
    )
    assert (only_lee.total.booked, only_lee.no_shows) == (1, ())
    with services.db.read() as session:
        made = session.scalar(
            text("SELECT COUNT(*) FROM appointments WHERE status <> 'cancelled' "
                 "AND starts_at < :end"), {"end": "2026-03-05 05:00:00"},
        )  # fmt: skip
    assert total.booked == made


def test_sales_by_day_and_the_account_balances(services: Services, gym: SmallGym):
    got = services.reports.sales(date(2026, 3, 1), date(2026, 3, 4), actor=SYSTEM)
    day1, day3, day4 = got.rows
    # 03-01: Ann's package, $100.00, paid at once.
    assert (day1.label, day1.packages_sold, day1.package_cents, day1.payment_cents) == (
        "2026-03-01", 1, 10_000, 10_000,
    )  # fmt: skip
    # 03-03: Bob's lot voided, its 1 unused credit (2500) back as account credit.
    assert (day3.label, day3.voids, day3.void_credit_cents) == ("2026-03-03", 1, 2_500)
    # 03-04: Cat's towel, $15.00, owed.
    assert (day4.label, day4.other_charge_cents) == ("2026-03-04", 1_500)
    assert (got.credit_carried_cents, got.owed_cents) == (2_500, 1_500)  # Bob; Cat
    by_month = services.reports.sales(date(2026, 3, 1), date(2026, 3, 4), by="month", actor=SYSTEM)
    assert [(r.label, r.package_cents, r.voids) for r in by_month.rows] == [("2026-03", 10_000, 1)]
    with services.db.read() as session:
        net = session.scalar(text("SELECT SUM(amount_cents) FROM account_entries"))
    total = got.total
    assert net == (
        total.payment_cents + total.credit_given_cents + total.void_credit_cents
        - total.package_cents - total.plan_cents - total.other_charge_cents - total.refund_cents
    ) == got.credit_carried_cents - got.owed_cents  # fmt: skip
    with pytest.raises(ValidationError):
        services.reports.sales(date(2026, 3, 1), date(2026, 3, 4), by="year", actor=SYSTEM)
    with pytest.raises(ValidationError):
        services.reports.sales(date(2026, 3, 4), date(2026, 3, 1), actor=SYSTEM)


def test_end_of_day_for_closing_the_desk(services: Services, gym: SmallGym):
    day2 = services.reports.end_of_day(date(2026, 3, 2), actor=SYSTEM)
    assert [(s.member, s.appointment_type, s.coach) for s in day2.check_ins] == [
        ("Ann Smith", "PT", "Kim Coach"), ("Bob Smith", "Yoga", "Lee Coach"),
    ]  # fmt: skip
    assert day2.no_shows == ()
    assert day2.changes == ()
    day3 = services.reports.end_of_day(date(2026, 3, 3), actor=SYSTEM)
    assert [(s.member, s.at) for s in day3.no_shows] == [("Ann Smith", at_local(2026, 3, 3, 10))]
    assert [(c.member, c.credits, c.reason, c.by) for c in day3.changes] == [
        ("Bob Smith", -1, "void: moved away", "the system"),
        ("Cat Smith", -1, "double entry", "the system"),
    ]
    assert (day3.money.voids, day3.money.void_credit_cents) == (1, 2_500)
    today = services.reports.end_of_day(actor=SYSTEM)
    assert (today.day, today.money.other_charge_cents) == (date(2026, 3, 4), 1_500)
