"""Coach pay on the small fixed gym and the pay rules on the staff record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from desk.db import Database
from desk.models import AuditEvent
from desk.services.container import Services
from desk.services.core.errors import ValidationError
from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.services.people.staff import PayRuleView
from desk.services.reports.filters import ReportFilter
from tests.actors import SYSTEM
from tests.services.reports.small_gym import SmallGym


def _listed(services: Services, coach: int) -> list[tuple[str, int, str, int]]:
    got = services.reports.coach_pay(
        date(2026, 3, 1), date(2026, 3, 4), filters=ReportFilter(coach_id=coach), actor=SYSTEM
    )
    assert got.listed_coach == coach
    return [(s.member, s.credit_value_cents, s.rule, s.pay_cents) for s in got.listed]


def test_coach_pay_by_rate_and_by_percentage(services: Services, gym: SmallGym):
    got = services.reports.coach_pay(date(2026, 3, 1), date(2026, 3, 4), actor=SYSTEM)
    # Totals per coach, summed in the database; no coach chosen, no sessions listed.
    assert [(c.coach, c.sessions, c.pay_cents) for c in got.coaches] == [
        ("Kim Coach", 1, 1666), ("Lee Coach", 1, 2000)
    ]  # fmt: skip
    assert got.listed == ()
    # Kim: a1, the first credit of lot A (3333), at 50%: 1666 (rounded down).
    assert _listed(services, gym.kim) == [("Ann Smith", 3333, "50%", 1666)]
    # Lee: b1, Yoga at 2000 a session (the credit's own value is 2500).
    assert _listed(services, gym.lee) == [("Bob Smith", 2500, "rate", 2000)]
    assert (got.sessions, got.pay_cents) == (2, 3666)
    with services.db.read() as session:
        attended = session.scalar(
            text("SELECT COUNT(*) FROM appointments WHERE status = 'attended'")
        )
    assert got.sessions == attended
    only_kim = services.reports.coach_pay(
        date(2026, 3, 1), date(2026, 3, 4), filters=ReportFilter(coach_id=gym.kim), actor=SYSTEM
    )
    assert [c.coach for c in only_kim.coaches] == ["Kim Coach"]


def test_a_session_without_a_rule_is_listed_unpaid(services: Services, gym: SmallGym):
    services.staff.set_pay_rule(
        StaffId(gym.lee), appointment_type_id=AppointmentTypeId(gym.yoga), actor=SYSTEM
    )
    assert [(rule, pay) for _m, _v, rule, pay in _listed(services, gym.lee)] == [("no rule", 0)]
    (_kim, lee) = services.reports.coach_pay(
        date(2026, 3, 1), date(2026, 3, 4), actor=SYSTEM
    ).coaches
    assert (lee.sessions, lee.pay_cents) == (1, 0)
    assert services.staff.pay_rules(StaffId(gym.lee)) == []


def test_pay_rules_are_checked_replaced_and_audited(services: Services, gym: SmallGym):
    kim, pt = StaffId(gym.kim), AppointmentTypeId(gym.pt)
    with pytest.raises(ValidationError):
        services.staff.set_pay_rule(kim, appointment_type_id=pt, rate_cents=1, percent=1,
                                    actor=SYSTEM)  # fmt: skip
    with pytest.raises(ValidationError):
        services.staff.set_pay_rule(kim, appointment_type_id=pt, percent=101, actor=SYSTEM)
    services.staff.set_pay_rule(kim, appointment_type_id=pt, rate_cents=3_000, actor=SYSTEM)
    assert services.staff.pay_rules(kim) == [PayRuleView(gym.kim, gym.pt, 3_000, None)]
    with services.db.read() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "staff.pay_rule")
            .order_by(AuditEvent.id)
        ).all()  # fmt: skip
    # The gym's two rules, then this one, which replaced Kim's 50%; refusals wrote nothing.
    assert len(events) == 3
    assert events[-1].entity_id == gym.kim
    assert events[-1].before == {
        "appointment_type_id": gym.pt,
        "rule": {"rate_cents": None, "percent": 50},
    }
    assert events[-1].after == {"appointment_type_id": gym.pt,
                                "rule": {"rate_cents": 3_000, "percent": None}}  # fmt: skip


def test_the_list_stops_at_its_limit_and_the_stream_has_every_session(
    services: Services, gym: SmallGym, monkeypatch: pytest.MonkeyPatch
):
    from desk.services.reports import coach_pay

    monkeypatch.setattr(coach_pay, "LISTED", 0)
    only_kim = ReportFilter(coach_id=gym.kim)
    got = services.reports.coach_pay(date(2026, 3, 1), date(2026, 3, 4), filters=only_kim,
                                     actor=SYSTEM)  # fmt: skip
    assert (got.listed, got.unlisted) == ((), 1)
    table = services.reports.table("coach-pay", first=date(2026, 3, 1), last=date(2026, 3, 4),
                                   filters=only_kim, actor=SYSTEM)  # fmt: skip
    assert table.rows[0][3] == "1 more sessions (export CSV from the command line for all)"
    streamed = services.reports.coach_pay_sessions(date(2026, 3, 1), date(2026, 3, 4),
                                                   actor=SYSTEM)  # fmt: skip
    assert [(coach, s.member, s.credit_value_cents, s.rule, s.pay_cents)
            for _id, coach, s in streamed] == [
        ("Kim Coach", "Ann Smith", 3333, "50%", 1666),
        ("Lee Coach", "Bob Smith", 2500, "rate", 2000),
    ]  # fmt: skip


def test_the_sql_value_of_the_nth_credit_is_the_python_rule(database: Database) -> None:
    from itertools import product

    from sqlalchemy import Column, Integer, MetaData, Table, insert

    from desk.services.credits.lot_value import value_of_nth_credit
    from desk.services.reports.coach_pay import nth_credit_value_sql

    cases = [*product((0, 1, 7, 100, 10_000, 9_999), (1, 2, 3, 7), range(10))]
    table = Table("nth_cases", MetaData(), Column("price", Integer), Column("quantity", Integer),
                  Column("nth", Integer), prefixes=["TEMPORARY"])  # fmt: skip
    with database.engine.begin() as connection:
        table.create(connection)
        connection.execute(insert(table), [dict(zip(("price", "quantity", "nth"), c, strict=True))
                                           for c in cases])  # fmt: skip
        got = connection.execute(select(table.c.price, table.c.quantity, table.c.nth,
                                        nth_credit_value_sql(*table.c))).all()  # fmt: skip
    assert len(got) == len(cases)
    assert [g for g in got if g[3] != value_of_nth_credit(*g[:3])] == []
    assert value_of_nth_credit(10_000, 3, 3) == 3334  # the last credit carries the remainder
