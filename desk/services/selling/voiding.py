"""Voiding a sale inside the caller's transaction: the one place of the void's rule.

``SalesService.void_lot`` (the Void button) and the undo of a sale right after it
(credits/credit_undo.py) both void through ``void_in``; the undo of a void puts back
what ``void_in`` took with ``reopen_in``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import AccountEntryKind, CreditLot, EntryKind
from desk.services.core.actor import Actor
from desk.services.core.errors import InvalidState, NotFound
from desk.services.credits import ledger
from desk.services.credits.lot_value import value_of_credits
from desk.services.selling.account import post_charge, post_entry


def lock_lot(session: Session, lot_id: int) -> CreditLot:
    """The lot's row, locked (fresh from the database). Raises NotFound."""
    lot = session.scalar(
        select(CreditLot)
        .where(CreditLot.id == lot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if lot is None:
        raise NotFound(f"There is no lot #{lot_id}.")
    return lot


def void_in(
    session: Session, lot: CreditLot, text: str, *, at: datetime, actor: Actor
) -> tuple[int, int]:
    """Void the locked ``lot``: its unused credits are removed by an adjustment (used and
    booked ones stay), the unused share of its price goes on the account as credit, and
    the lot is marked voided. Returns (credits removed, cents refunded). Raises
    InvalidState for a lot already voided, CreditsMoved when another desk took its
    credits meanwhile (the caller's transaction reads again)."""
    if lot.voided_at is not None:
        raise InvalidState("This sale was already voided.")
    unused = lot.remaining
    if unused:
        ledger.take_or_raise(session, lot.id, unused, "voiding the sale")
        ledger.post(session, lot_id=lot.id, kind=EntryKind.ADJUST, delta=-unused, at=at,
                    actor=actor, reason=f"void: {text}")  # fmt: skip
    refund = value_of_credits(lot.price_cents, lot.quantity, unused)
    if refund > 0:
        post_entry(
            session,
            member_id=lot.member_id,
            kind=AccountEntryKind.CREDIT,
            amount_cents=refund,
            at=at,
            actor=actor,
            note=f"voided sale, {unused} unused credit(s): {text}",
            lot_id=lot.id,
        )
    lot.voided_at = at
    lot.void_reason = text
    return unused, refund


def reopen_in(
    session: Session,
    lot: CreditLot,
    *,
    removed: int,
    refunded_cents: int,
    at: datetime,
    actor: Actor,
    reason: str,
) -> None:
    """The reverse of ``void_in`` on the locked ``lot``: the removed credits come back by an
    adjustment, the refunded credit is charged again (the credit on account pays it) and
    the lot is no longer voided. Nothing already written is changed."""
    if removed:
        ledger.give(session, lot.id, removed)
        ledger.post(session, lot_id=lot.id, kind=EntryKind.ADJUST, delta=removed, at=at,
                    actor=actor, reason=reason)  # fmt: skip
    if refunded_cents:
        post_charge(session, member_id=lot.member_id, amount_cents=refunded_cents, at=at,
                    actor=actor, note=reason, lot_id=lot.id)  # fmt: skip
    lot.voided_at = None
    lot.void_reason = ""
