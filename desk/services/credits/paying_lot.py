"""Which lot pays for a session on a day: the one rule, in SQL and in plain Python.

``can_pay_on`` is the rule as a SQL condition for queries (balances, search,
exports, fetching candidates); ``can_pay`` is the same rule on plain data for
the series planner, which spends credits occurrence by occurrence without
writing. tests/services/credits/test_paying_lot.py checks that the two agree on
a table of lots. ``choose_lot`` is the choice among the lots that can pay, and
``paying_order`` the same choice spelled out as the order the lots will pay in.

A lot valid N days from first use (``first_use_days``) has no expiry until the
first session it pays for; ``spend`` and ``ledger.take_one`` then give it that
session's local date + N (``first_use_expiry``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, or_, select
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
    first_use_days: int | None = None
    pool_id: int | None = None  # a shared pool's lot (desk/services/credits/pool_lots.py)

    @property
    def waits_for_first_use(self) -> bool:
        """Valid N days from first use and not used yet: no expiry date so far."""
        return self.expires_on is None and self.first_use_days is not None


def first_use_expiry(first_use_days: int, first_day: date) -> date:
    """The expiry a lot valid ``first_use_days`` from first use gets when its first
    session is on ``first_day`` (usable through that date, like a sale's validity)."""
    return first_day + timedelta(days=first_use_days)


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


def _order(lot: LotChoice) -> tuple[bool, int, date, int, int]:
    # The member's own credits pay before a shared pool's (the family's credits are
    # not spent while one member still has their own). Then the first to expire
    # pays first, so fewer credits lapse. A lot waiting for its first use has no
    # date to lapse on yet (its clock starts when it pays): it pays after every
    # dated lot, the shorter validity first. Lots that never expire pay last; the
    # older lot (smaller id) settles a tie.
    pooled = lot.pool_id is not None
    if lot.expires_on is not None:
        return (pooled, 0, lot.expires_on, 0, lot.id)
    if lot.first_use_days is not None:
        return (pooled, 1, date.max, lot.first_use_days, lot.id)
    return (pooled, 2, date.max, 0, lot.id)


def paying_order(lots: Sequence[LotChoice], day: date) -> list[LotChoice]:
    """The lots that can pay on ``day`` in the order they will pay (``choose_lot``
    takes the first of them)."""
    return sorted((lot for lot in lots if can_pay(lot, day)), key=_order)


def choose_lot(lots: Sequence[LotChoice], day: date, prefer: int | None = None) -> LotChoice | None:
    """The lot that pays on ``day``: the first in ``paying_order``, or None.

    ``prefer`` is a lot staff picked: it pays while it can pay on ``day``, and
    the usual choice takes over once it can't.
    """
    order = paying_order(lots, day)
    picked = next((lot for lot in order if lot.id == prefer), None)
    return picked or (order[0] if order else None)


def spend(
    lots: Sequence[LotChoice], chosen: LotChoice, amount: int, *, first_use_on: date | None = None
) -> list[LotChoice]:
    """``lots`` with ``amount`` taken off ``chosen`` (a plan of takes, nothing written).

    ``first_use_on`` is the day of the session a booking's credit pays for: a lot
    waiting for its first use gets its expiry from it, as ``ledger.take_one`` does.
    """
    taken = replace(chosen, remaining=chosen.remaining - amount)
    days = chosen.first_use_days
    if first_use_on is not None and days is not None and chosen.waits_for_first_use:
        taken = replace(taken, expires_on=first_use_expiry(days, first_use_on))
    return [taken if lot is chosen else lot for lot in lots]


def usable_lots(
    member_id: int, type_id: int, usable_on: date, *, pools: bool = True
) -> Select[int, int, date | None, int | None, int | None]:
    """(id, remaining, expires_on, first_use_days, pool_id) of lots that can pay on
    ``usable_on``, in paying order: the member's own, and (with ``pools``) their
    current pool's.

    The order only makes the fetch tidy; which lot pays is ``choose_lot``'s rule.
    """
    whose = payable_by(member_id) if pools else owned_by(member_id)
    waiting = case(
        (CreditLot.expires_on.is_not(None), 0), (CreditLot.first_use_days.is_not(None), 1), else_=2
    )
    return (
        select(
            CreditLot.id,
            CreditLot.remaining,
            CreditLot.expires_on,
            CreditLot.first_use_days,
            CreditLot.pool_id,
        )
        .where(whose, CreditLot.appointment_type_id == type_id, can_pay_on(usable_on))
        .order_by(
            CreditLot.pool_id.is_not(None),
            waiting,
            CreditLot.expires_on,
            CreditLot.first_use_days,
            CreditLot.id,
        )
    )


def usable_choices(
    session: Session, member_id: int, type_id: int, usable_on: date, *, pools: bool = True
) -> list[LotChoice]:
    """The lots that can pay on ``usable_on`` as plain data for ``choose_lot``
    (without ``pools``: the member's own only, as an adjustment takes)."""
    return [
        LotChoice(lot_id, remaining, expires_on, first_use_days=days, pool_id=pool_id)
        for lot_id, remaining, expires_on, days, pool_id in session.execute(
            usable_lots(member_id, type_id, usable_on, pools=pools)
        )
    ]
