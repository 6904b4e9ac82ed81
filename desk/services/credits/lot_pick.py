"""Staff picking the lot that pays for a booking (issue 18, item 1).

The rule of which lot pays stays ``paying_lot.choose_lot``; a pick only says which
lot it should prefer (``choose_lot(..., prefer=...)``, ``ledger.take_one(lot_id=...)``).
This module checks a pick before the take and says, for the booking's audit row,
when the lot staff picked is not the one the rule would have chosen.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import AppointmentType, CreditLot
from desk.services.core.errors import ValidationError
from desk.services.credits.paying_lot import LotChoice, can_pay, choose_lot, usable_choices
from desk.services.credits.pool_lots import payable_by


def lot_name(lot_id: int, note: str) -> str:
    """How an error or a sentence names a lot: "lot #12 (10 PT sessions)"."""
    return f"lot #{lot_id}" + (f" ({note})" if note else "")


def check_pick(session: Session, member_id: int, kind: AppointmentType, lot_id: int,
               usable_on: date, when: str) -> None:  # fmt: skip
    """Refuse a picked lot that can't pay for this member's ``kind`` session on
    ``usable_on`` (``when`` says that day in words): ValidationError on the field
    "lot", naming the lot and why (unknown, another member's or a pool's they are
    not in, another type's, voided, used up, expired by then). A lot of the member's
    current shared pool may be picked, as it may pay (pool_lots.payable_by)."""
    row = session.execute(
        select(
            CreditLot.appointment_type_id, CreditLot.remaining, CreditLot.expires_on,
            CreditLot.voided_at, CreditLot.note, payable_by(member_id).label("payable"),
        ).where(CreditLot.id == lot_id)
    ).first()  # fmt: skip
    if row is None:
        raise ValidationError("lot", f"There is no lot #{lot_id}.")
    name = lot_name(lot_id, row.note)
    choice = LotChoice(lot_id, row.remaining, row.expires_on, row.voided_at is not None)
    if not row.payable:
        why = "belongs to another member (or a shared pool they are not in)"
    elif row.appointment_type_id != kind.id:
        why = f"doesn't hold {kind.name} credits"
    elif row.voided_at is not None:
        why = "was voided"
    elif row.remaining <= 0:
        why = "has no credit left"
    elif not can_pay(choice, usable_on):
        why = f"expires before {when}"
    else:
        return
    raise ValidationError("lot", f"The {name} can't pay for this session: it {why}.")


def pick_note(
    session: Session, member_id: int, type_id: int, usable_on: date, lot_id: int | None
) -> dict[str, str]:
    """For the booking's audit row: the lot staff picked and the one the rule would
    have chosen (their ids), when they differ (nothing otherwise). Read before the take."""
    if lot_id is None:
        return {}
    lots = usable_choices(session, member_id, type_id, usable_on)
    usual, picked = choose_lot(lots, usable_on), choose_lot(lots, usable_on, lot_id)
    if usual is None or picked is None or usual.id == picked.id:
        return {}
    return {"picked_lot_id": str(picked.id), "usual_lot_id": str(usual.id)}
