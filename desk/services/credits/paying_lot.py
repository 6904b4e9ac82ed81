"""Which lot pays for a session on a day: the one rule, in SQL and in plain Python.

``can_pay_on`` is the rule as a SQL condition for queries (balances, search,
exports, fetching candidates); ``can_pay`` is the same rule on plain data for
the series planner, which spends credits occurrence by occurrence without
writing. tests/services/credits/test_paying_lot.py checks that the two agree on
a table of lots. ``choose_lot`` is the choice among the lots that can pay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from desk.models import CreditLot
from desk.services.credits.pool_lots import owned_by, payable_by


@dataclass(frozen=True)
class LotChoice:
    """What choosing a paying lot needs to know about one lot."""

    id: int
    remaining: int
    expires_on: date | None
    voided: bool = False
    pool_id: int | None = None  # a shared pool's lot (desk/services/credits/pool_lots.py)


def is_open_on(day: date | BindParameter[date]) -> ColumnElement[bool]:
    """SQL: the lot still takes part on ``day`` (not voided, not expired then).

    A lot expiring on a date is usable through that date. ``day`` is a date or
    a bind parameter (a prebuilt statement fills it in later).
    """
    return and_(
        CreditLot.voided_at.is_(None),
        or_(CreditLot.expires_on.is_(None), CreditLot.expires_on >= day),
    )


def can_pay_on(day: date | BindParameter[date]) -> ColumnElement[bool]:
    """SQL: the lot can pay for a session on ``day`` (open then, with a credit left)."""
    return and_(CreditLot.remaining > 0, is_open_on(day))


def can_pay(lot: LotChoice, day: date) -> bool:
    """``can_pay_on`` on plain data."""
    return (
        lot.remaining > 0 and not lot.voided and (lot.expires_on is None or lot.expires_on >= day)
    )


def _order(lot: LotChoice) -> tuple[bool, bool, date, int]:
    # The member's own credits pay before a shared pool's (the family's credits are
    # not spent while one member still has their own); then the first to expire
    # pays first, so fewer credits lapse; lots that never expire pay last; the
    # older lot (smaller id) settles a tie.
    return (lot.pool_id is not None, lot.expires_on is None, lot.expires_on or date.max, lot.id)


def choose_lot(lots: Sequence[LotChoice], day: date) -> LotChoice | None:
    """The lot that pays on ``day``: the first-expiring one that can pay, or None."""
    return min((lot for lot in lots if can_pay(lot, day)), key=_order, default=None)


def spend(lots: Sequence[LotChoice], chosen: LotChoice, amount: int) -> list[LotChoice]:
    """``lots`` with ``amount`` taken off ``chosen`` (a plan of takes, nothing written)."""
    return [
        replace(lot, remaining=lot.remaining - amount) if lot is chosen else lot for lot in lots
    ]


def usable_lots(
    member_id: int, type_id: int, usable_on: date, *, pools: bool = True
) -> Select[int, int, date | None, int | None]:
    """(id, remaining, expires_on, pool_id) of lots that can pay on ``usable_on``, in
    paying order: the member's own, and (with ``pools``) their current pool's.

    The order only makes the fetch tidy; which lot pays is ``choose_lot``'s rule.
    """
    whose = payable_by(member_id) if pools else owned_by(member_id)
    return (
        select(CreditLot.id, CreditLot.remaining, CreditLot.expires_on, CreditLot.pool_id)
        .where(whose, CreditLot.appointment_type_id == type_id, can_pay_on(usable_on))
        .order_by(
            CreditLot.pool_id.is_not(None),
            CreditLot.expires_on.is_(None),
            CreditLot.expires_on,
            CreditLot.id,
        )
    )


def usable_choices(
    session: Session, member_id: int, type_id: int, usable_on: date, *, pools: bool = True
) -> list[LotChoice]:
    """The lots that can pay on ``usable_on`` as plain data for ``choose_lot``
    (without ``pools``: the member's own only, as an adjustment takes)."""
    return [
        LotChoice(lot_id, remaining, expires_on, pool_id=pool_id)
        for lot_id, remaining, expires_on, pool_id in session.execute(
            usable_lots(member_id, type_id, usable_on, pools=pools)
        )
    ]
