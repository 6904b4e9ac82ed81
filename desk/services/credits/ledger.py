"""Moving credits on lots: the only code that writes ``credit_lots.remaining``.

Every movement is an append-only ``CreditEntry`` plus a conditional update of
the lot's cached ``remaining`` in the same transaction. Taking credits never
reads a balance and writes it back: it asks the database to subtract only
where enough is left and checks that exactly one row changed, so two desks
can't both spend the last credit (docs/design.md, the credit ledger).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CursorResult, Select, select, update
from sqlalchemy.orm import Session

from desk.models import CreditEntry, CreditLot, EntryKind, LotSource
from desk.services.core.actor import Actor


def usable_lots(member_id: int, type_id: int, usable_on: date) -> Select[int, int]:
    """(id, remaining) of lots that can pay on ``usable_on``, the first to expire first."""
    return (
        select(CreditLot.id, CreditLot.remaining)
        .where(
            CreditLot.member_id == member_id,
            CreditLot.appointment_type_id == type_id,
            CreditLot.remaining > 0,
            (CreditLot.expires_on.is_(None)) | (CreditLot.expires_on >= usable_on),
        )
        .order_by(CreditLot.expires_on.is_(None), CreditLot.expires_on, CreditLot.id)
    )


def try_take(session: Session, lot_id: int, amount: int) -> bool:
    """Subtract ``amount`` from the lot only if that much is left; True if it did."""
    result = session.execute(
        update(CreditLot)
        .where(CreditLot.id == lot_id, CreditLot.remaining >= amount)
        .values(remaining=CreditLot.remaining - amount)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def give(session: Session, lot_id: int, amount: int) -> None:
    """Add ``amount`` back to a lot (a release or a positive adjustment)."""
    session.execute(
        update(CreditLot)
        .where(CreditLot.id == lot_id)
        .values(remaining=CreditLot.remaining + amount)
        .execution_options(synchronize_session=False)
    )


def take_one(session: Session, member_id: int, type_id: int, usable_on: date) -> int | None:
    """Take one credit from the first-expiring usable lot; its id, or None if none is left."""
    for lot_id, _remaining in session.execute(usable_lots(member_id, type_id, usable_on)):
        if try_take(session, lot_id, 1):
            return lot_id
    return None


def post(
    session: Session,
    *,
    lot_id: int,
    kind: EntryKind,
    delta: int,
    at: datetime,
    actor: Actor,
    reason: str = "",
    appointment_id: int | None = None,
    idempotency_key: str | None = None,
) -> CreditEntry:
    """Append an entry; the caller has already moved ``remaining`` by ``delta``."""
    entry = CreditEntry(
        lot_id=lot_id,
        kind=kind.value,
        delta=delta,
        at=at,
        by_id=actor.staff_id,
        reason=reason,
        appointment_id=appointment_id,
        idempotency_key=idempotency_key,
    )
    session.add(entry)
    return entry


def open_lot(
    session: Session,
    *,
    member_id: int,
    appointment_type_id: int,
    quantity: int,
    source: LotSource,
    currency: str,
    at: datetime,
    actor: Actor,
    reason: str,
    entry_kind: EntryKind = EntryKind.GRANT,
    price_cents: int = 0,
    expires_on: date | None = None,
    note: str = "",
    idempotency_key: str | None = None,
    **links: Any,
) -> CreditLot:
    """A new lot holding ``quantity`` credits, with the entry that puts them there.

    The entry is a grant (a sale, a plan period, a migration) or, for credits that
    were moved or corrected rather than sold, an adjustment. ``links`` are the
    lot's optional references (package_id, subscription_id, period_start,
    import_batch).
    """
    lot = CreditLot(
        member_id=member_id,
        appointment_type_id=appointment_type_id,
        quantity=quantity,
        remaining=quantity,
        source=source.value,
        price_cents=price_cents,
        currency=currency,
        expires_on=expires_on,
        created_at=at,
        created_by_id=actor.staff_id,
        note=note,
        **links,
    )
    session.add(lot)
    session.flush()
    post(session, lot_id=lot.id, kind=entry_kind, delta=quantity, at=at, actor=actor, reason=reason,
         idempotency_key=idempotency_key)  # fmt: skip
    return lot
