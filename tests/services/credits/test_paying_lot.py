"""The paying-lot rule: which lots can pay on a day, and which one does.

``choose_lot`` on plain data; ``can_pay_on`` (SQL) against ``can_pay`` (Python)
on a table of lots in the database, by date and by bind parameter; the lot a
real booking takes is the one ``choose_lot`` names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import bindparam, select, update

from desk.db import Database
from desk.models import CreditLot, EntryKind, LotSource
from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.credits import ledger
from desk.services.credits.paying_lot import LotChoice, can_pay, can_pay_on, choose_lot, spend
from tests.actors import SYSTEM
from tests.services.factories import make_member, make_type

D = date(2026, 3, 10)


def lot(id: int, remaining: int = 1, expires_on: date | None = None, voided: bool = False):
    return LotChoice(id, remaining, expires_on, voided)


def test_the_first_to_expire_pays():
    lots = [lot(1, expires_on=D + timedelta(days=30)), lot(2, expires_on=D + timedelta(days=2))]
    assert choose_lot(lots, D) == lots[1]


def test_a_lot_that_never_expires_pays_last():
    lots = [lot(1), lot(2, expires_on=D + timedelta(days=300))]
    assert choose_lot(lots, D) == lots[1]
    assert choose_lot([lots[0]], D) == lots[0]


def test_the_older_lot_settles_a_tie():
    same = D + timedelta(days=5)
    assert choose_lot([lot(7, expires_on=same), lot(3, expires_on=same)], D) == lot(
        3, expires_on=same
    )
    assert choose_lot([lot(9), lot(4)], D) == lot(4)


def test_empty_expired_and_voided_lots_never_pay():
    lots = [
        lot(1, remaining=0, expires_on=D + timedelta(days=1)),
        lot(2, expires_on=D - timedelta(days=1)),
        lot(3, voided=True, expires_on=D + timedelta(days=1)),
    ]
    assert choose_lot(lots, D) is None
    assert choose_lot([*lots, lot(4)], D) == lot(4)


def test_a_lot_pays_through_its_expiry_date():
    assert choose_lot([lot(1, expires_on=D)], D) == lot(1, expires_on=D)
    assert choose_lot([lot(1, expires_on=D)], D + timedelta(days=1)) is None


def test_spending_a_plan_moves_on_when_a_lot_runs_out():
    lots = [lot(1, remaining=1, expires_on=D + timedelta(days=1)), lot(2, remaining=5)]
    first = choose_lot(lots, D)
    assert first is not None
    assert first.id == 1
    lots = spend(lots, first, 1)
    second = choose_lot(lots, D)
    assert second is not None
    assert second.id == 2


# --- SQL and Python agree --------------------------------------------------------------------

EXPIRIES = (None, D - timedelta(days=1), D, D + timedelta(days=1))


def _lot_table(services: Services, database: Database) -> list[LotChoice]:
    """Every combination of remaining (0, 2), expiry and voided, as lots in the database."""
    member = make_member(services)
    kind = make_type(services)
    now = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
    made: list[LotChoice] = []
    with database.write() as session:
        for remaining in (0, 2):
            for expires_on in EXPIRIES:
                for voided in (False, True):
                    row = ledger.open_lot(
                        session,
                        member_id=member.id,
                        appointment_type_id=kind.id,
                        quantity=2,
                        source=LotSource.MANUAL,
                        currency="USD",
                        at=now,
                        actor=SYSTEM,
                        reason="table",
                        expires_on=expires_on,
                    )
                    if remaining == 0:
                        ledger.take_or_raise(session, row.id, 2, "testing")
                        ledger.post(
                            session,
                            lot_id=row.id,
                            kind=EntryKind.ADJUST,
                            delta=-2,
                            at=now,
                            actor=SYSTEM,
                            reason="table",
                        )
                    if voided:
                        session.execute(
                            update(CreditLot).where(CreditLot.id == row.id).values(voided_at=now)
                        )
                    made.append(LotChoice(row.id, remaining, expires_on, voided))
    return made


@pytest.mark.parametrize("offset", [-2, -1, 0, 1, 2])
def test_the_sql_rule_and_the_python_rule_agree_on_every_kind_of_lot(services, database, offset):
    lots = _lot_table(services, database)
    day = D + timedelta(days=offset)
    expected = sorted(x.id for x in lots if can_pay(x, day))
    by_bind = select(CreditLot.id).where(can_pay_on(bindparam("on"))).order_by(CreditLot.id)
    with database.read() as session:
        by_date = list(
            session.scalars(select(CreditLot.id).where(can_pay_on(day)).order_by(CreditLot.id))
        )
        by_param = list(session.scalars(by_bind, {"on": day}))
    assert by_date == expected
    assert by_param == expected
    assert expected, "the table has lots that can pay"
    assert len(expected) < len(lots), "and lots that can't"


def test_a_booking_takes_the_lot_choose_lot_names(services, database):
    lots = _lot_table(services, database)
    with database.read() as session:
        member_id, type_id = session.execute(
            select(CreditLot.member_id, CreditLot.appointment_type_id).limit(1)
        ).one()
    chosen = choose_lot(lots, D)
    assert chosen is not None
    with database.write() as session:
        taken = ledger.take_one(session, member_id, type_id, D)
    assert taken == chosen.id
    assert services.credits.open_credits(MemberId(member_id), AppointmentTypeId(type_id)) == sum(
        x.remaining for x in spend(lots, chosen, 1) if can_pay(x, date(2026, 3, 4))
    )


def test_own_lots_pay_before_a_pools_in_python_and_in_sql(services, database):
    """The paying order with shared pools: own lots first (soonest expiry first), then the
    pool's; the SQL fetch (``usable_lots``) and ``choose_lot`` agree lot by lot."""
    from desk.services.credits.paying_lot import usable_choices

    member, other = make_member(services), make_member(services, "Bo", "Smith")
    kind = make_type(services)
    pool = services.pools.create("Smiths", [MemberId(member.id), MemberId(other.id)],
                                 actor=SYSTEM).value  # fmt: skip
    made = {}
    for name, owner, pool_id, expires_on in (
        ("pool soon", other, pool.id, D + timedelta(days=1)),
        ("own late", member, None, D + timedelta(days=60)),
        ("own never", member, None, None),
        ("pool never", member, pool.id, None),
        ("other's own", other, None, D + timedelta(days=2)),
    ):
        made[name] = services.credits.add_credits(
            member_id=MemberId(owner.id), appointment_type_id=AppointmentTypeId(kind.id),
            quantity=1, expires_on=expires_on, pool_id=pool_id, actor=SYSTEM,
        ).value.id  # fmt: skip
    with database.read() as session:
        lots = usable_choices(session, member.id, kind.id, D)
    order = [made[n] for n in ("own late", "own never", "pool soon", "pool never")]
    assert [lot.id for lot in lots] == order  # the SQL order; "other's own" never there
    remaining = list(lots)
    for expected in order:  # choose_lot names the same lot, one take after another
        chosen = choose_lot(remaining, D)
        assert chosen is not None
        assert chosen.id == expected
        remaining = spend(remaining, chosen, 1)
