"""Lots valid N days from first use (issue 18, item 6): the audit of a lot's clock
starting, and the words for a lot still waiting for it.

The expiry itself is written by ``ledger.take_one`` in the booking's transaction
(``ledger.start_first_use``, a column of the lot like ``set_expiry``; no entry is
edited). ``record_start`` adds the audit row naming the booking that started it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.models import CreditEntry, CreditLot, EntryKind
from desk.services.core.actor import Actor
from desk.services.credits.paying_lot import first_use_expiry
from desk.services.records import audit


def first_use_words(days: int) -> str:
    """The words for such a lot: "valid 30 days from first use"."""
    return f"valid {days} day{'s' if days != 1 else ''} from first use"


def record_start(session: Session, *, lot_id: int, appointment_id: int, member_id: int,
                 first_day: date, at: datetime, actor: Actor) -> None:  # fmt: skip
    """Audit ``credits.first_use`` when booking ``appointment_id`` (already posted) is
    the first the lot paid for and gave it its expiry; nothing otherwise."""
    days, expires_on = session.execute(
        select(CreditLot.first_use_days, CreditLot.expires_on).where(CreditLot.id == lot_id)
    ).one()
    if days is None or expires_on != first_use_expiry(days, first_day):
        return
    earlier = session.scalar(
        select(func.count()).where(
            CreditEntry.lot_id == lot_id,
            CreditEntry.kind == EntryKind.BOOK.value,
            CreditEntry.appointment_id != appointment_id,
        )
    )
    if earlier:
        return
    audit.record(
        session, at=at, actor=actor, action="credits.first_use", entity="lot", entity_id=lot_id,
        member_id=member_id, before={"expires_on": None},
        after={"expires_on": expires_on, "first_use_on": first_day, "first_use_days": days,
               "appointment_id": appointment_id},
    )  # fmt: skip
