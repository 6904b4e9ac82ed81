"""The ledger's writes of a lot's other columns: its expiry date and its owner.

Part of the ledger (``ledger.py`` re-exports them, and the one-path test lets only
these two files write lots): none of these moves a credit or writes an entry, so
they live apart from the movements. ``set_expiry`` moves dates (expiry changes,
holds), ``start_first_use`` dates a lot valid N days from first use, and
``move_lots`` gives one member's lots to another (a merge).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.orm import Session

from desk.models import CreditLot
from desk.services.credits.paying_lot import first_use_expiry


def set_expiry(
    session: Session, lot_ids: Sequence[int], *, to: date | None = None, by_days: int = 0
) -> None:
    """Move the expiry of ``lot_ids`` to the date ``to``, or by ``by_days`` days: one
    UPDATE for all of them. The caller holds the lots' rows (``FOR UPDATE``) and
    audits each lot's old and new date; no entry changes (an expiry date is the
    lot's, not a movement of credits)."""
    if to is not None:
        new_date: Any = to
    elif session.get_bind().dialect.name == "sqlite":
        new_date = func.date(CreditLot.expires_on, f"{by_days:+d} days")
    else:
        new_date = CreditLot.expires_on + by_days  # date + integer is a date
    for start in range(0, len(lot_ids), 500):  # bound parameter lists stay small
        session.execute(
            update(CreditLot)
            .where(CreditLot.id.in_(lot_ids[start : start + 500]))
            .values(expires_on=new_date)
            .execution_options(synchronize_session=False)
        )


def move_lots(session: Session, from_member_id: int, to_member_id: int) -> None:
    """Every lot of one member becomes another's (a merge); entries stay as written."""
    mine = CreditLot.member_id == from_member_id
    session.execute(update(CreditLot).where(mine).values(member_id=to_member_id))


def start_first_use(session: Session, lot_id: int, days: int, first_day: date) -> None:
    """Give a lot waiting for its first use its expiry (``first_use_expiry``); a lot
    that has a date already keeps it (the first booking to commit set it)."""
    session.execute(
        update(CreditLot)
        .where(CreditLot.id == lot_id, CreditLot.expires_on.is_(None))
        .values(expires_on=first_use_expiry(days, first_day))
        .execution_options(synchronize_session=False)
    )
