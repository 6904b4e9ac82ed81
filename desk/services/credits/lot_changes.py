"""Changing a lot after it was granted: its expiry (one lot or many) and transfers.

The rules of an expiry change live in ``_new_expiry`` only: the new date can't
be past, moving a date earlier needs a reason, and only a lot that is still open
(credits left, not voided, not expired) has an expiry worth changing. A bulk
change is previewed with the same read that the write then locks and applies,
so what the preview listed is what changes (unless another desk changed a lot
meanwhile: then that lot is read as it is now).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import AppointmentType, CreditLot, Member, MemberStatus
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InsufficientCredits, InvalidState, NotFound, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.credits.settle_unpaid import paid_changes, paid_in
from desk.services.people.members import lock_member
from desk.services.records import audit

MAX_SHIFT_DAYS = 3_650


@dataclass(frozen=True)
class ExpiryFilter:
    """Which open lots of the gym a bulk change touches: expiring in [first, last],
    of one appointment type or of every type."""

    first: date
    last: date
    appointment_type_id: int | None = None


@dataclass(frozen=True)
class ExpiryShift:
    """How the dates move: by ``days`` (negative: earlier) or to the date ``to``."""

    days: int = 0
    to: date | None = None


@dataclass(frozen=True)
class ExpiryChangeRow:
    """One lot of a preview or of a change made: its old and new expiry."""

    lot_id: int
    member_id: int
    member_name: str
    appointment_type: str
    remaining: int
    old_expires_on: date | None
    """None: the lot never expired (only a one-lot change gives it a date)."""
    new_expires_on: date


@dataclass(frozen=True)
class TransferResult:
    from_lot_id: int
    to_lot_id: int
    quantity: int
    price_cents: int
    currency: str
    to_member_id: int


def _new_expiry(old: date | None, new: date, reason: str, on: date) -> None:
    """The one rule of an expiry change; raises ValidationError or InvalidState."""
    if old is not None and old < on:
        raise InvalidState(f"That lot expired on {old.isoformat()}; its credits can't be revived.")
    if new < on:
        raise ValidationError("expires_on", f"The new expiry {new.isoformat()} is already past.")
    if old is not None and new < old and not reason:
        raise ValidationError("reason", "Say why the expiry moves earlier (a reason is required).")
    if new == old:
        raise ValidationError("expires_on", f"The lot already expires on {new.isoformat()}.")


def _shifted(old: date, shift: ExpiryShift) -> date:
    return shift.to if shift.to is not None else old + timedelta(days=shift.days)


def _rows() -> Select[int, int, str, str, str, int, date | None]:
    return (
        select(
            CreditLot.id,
            CreditLot.member_id,
            Member.first_name,
            Member.last_name,
            AppointmentType.name,
            CreditLot.remaining,
            CreditLot.expires_on,
        )
        .join(Member, Member.id == CreditLot.member_id)
        .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
        .where(CreditLot.remaining > 0, CreditLot.voided_at.is_(None))
        .order_by(CreditLot.expires_on, CreditLot.id)
    )


def _matching(session: Session, which: ExpiryFilter, shift: ExpiryShift, on: date, *,
              lock: bool) -> list[ExpiryChangeRow]:  # fmt: skip
    query = _rows().where(
        CreditLot.expires_on >= on, CreditLot.expires_on.between(which.first, which.last)
    )
    if which.appointment_type_id is not None:
        query = query.where(CreditLot.appointment_type_id == which.appointment_type_id)
    if lock:
        query = query.with_for_update(of=CreditLot)
    rows = []
    for lot_id, member_id, first, last, kind, remaining, old in session.execute(query):
        new = _shifted(old, shift) if old is not None else None
        if new is not None and new != old:
            rows.append(ExpiryChangeRow(lot_id, member_id, f"{first} {last}".strip(), kind,
                                        remaining, old, new))  # fmt: skip
    return rows


def _check_shift(which: ExpiryFilter, shift: ExpiryShift) -> None:
    if which.last < which.first:
        raise ValidationError("last", "The last expiry date is before the first.")
    if (shift.to is None) == (shift.days == 0):
        raise ValidationError("days", "Give either a number of days or a new date.")
    if abs(shift.days) > MAX_SHIFT_DAYS:
        raise ValidationError("days", f"Move expiry dates by at most {MAX_SHIFT_DAYS} days.")


class LotChangeService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def preview_expiry_change(
        self, which: ExpiryFilter, shift: ExpiryShift
    ) -> list[ExpiryChangeRow]:
        """The open lots a bulk change would touch, with their old and new dates
        (nothing written). Raises ValidationError for a bad filter or shift."""
        _check_shift(which, shift)
        with self._db.read() as session:
            return _matching(session, which, shift, today(self._clock), lock=False)

    @retry_transient
    def change_expiry(
        self, lot_id: int, *, expires_on: date, reason: str = "", actor: Actor
    ) -> Outcome[ExpiryChangeRow]:
        """Move one open lot's expiry to ``expires_on``, audited with the old date.

        Raises NotFound for an unknown lot, InvalidState for a lot that is voided,
        used up or already expired, ValidationError for a date in the past, the
        same date, or an earlier date without a reason.
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        on = today(self._clock)
        with authorized(self._db, actor, Permission.ADJUST_CREDITS) as session:
            row = session.execute(
                _rows().where(CreditLot.id == lot_id).with_for_update(of=CreditLot)
            ).first()
            if row is None:
                if session.get(CreditLot, lot_id) is None:
                    raise NotFound(f"There is no credit lot #{lot_id}.")
                raise InvalidState("That lot has no open credits: its expiry can't change.")
            old = row.expires_on
            _new_expiry(old, expires_on, clean_reason, on)
            ledger.set_expiry(session, [lot_id], to=expires_on)
            name = f"{row.first_name} {row.last_name}".strip()
            change = ExpiryChangeRow(lot_id, row.member_id, name, row.name, row.remaining, old,
                                     expires_on)  # fmt: skip
            self._audit(session, [change], clean_reason, actor)
        return Outcome(change, Changes.of(credits=[change.member_id]))

    @retry_transient
    def change_expiries(
        self, which: ExpiryFilter, shift: ExpiryShift, *, reason: str = "", actor: Actor
    ) -> Outcome[list[ExpiryChangeRow]]:
        """Move the expiry of every open lot matching ``which`` (see the preview) in
        one transaction, each lot audited with its old and new date.

        Raises ValidationError for a bad filter or shift, a new date in the past,
        or dates moved earlier without a reason (nothing changes then).
        """
        _check_shift(which, shift)
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        on = today(self._clock)
        with authorized(self._db, actor, Permission.ADJUST_CREDITS) as session:
            rows = _matching(session, which, shift, on, lock=True)
            for row in rows:
                _new_expiry(row.old_expires_on, row.new_expires_on, clean_reason, on)
            ids = [row.lot_id for row in rows]
            if shift.to is not None:
                ledger.set_expiry(session, ids, to=shift.to)
            else:
                ledger.set_expiry(session, ids, by_days=shift.days)
            self._audit(session, rows, clean_reason, actor)
        return Outcome(rows, Changes.of(credits={row.member_id for row in rows}))

    def _audit(
        self, session: Session, rows: list[ExpiryChangeRow], reason: str, actor: Actor
    ) -> None:
        audit.record_many(
            session,
            at=self._clock.now(),
            actor=actor,
            action="credits.expiry",
            entity="credit_lot",
            rows=[
                (row.lot_id, row.member_id, {"expires_on": row.old_expires_on},
                 {"expires_on": row.new_expires_on, "reason": reason})
                for row in rows
            ],
        )  # fmt: skip

    @retry_transient
    def transfer(
        self, lot_id: int, *, to_member_id: MemberId, quantity: int, reason: str, actor: Actor
    ) -> Outcome[TransferResult]:
        """Move ``quantity`` open credits of a lot to another member, with a reason.

        The old lot gives them up by an adjustment entry; a new lot of the other
        member opens with them, linked to the old one, with the same expiry and
        the value the credits carry (lot_value). Raises NotFound for an unknown
        lot or member, ValidationError for a missing reason, a quantity below 1
        or the lot's own member, InvalidState for a voided or expired lot or an
        archived receiver, InsufficientCredits for more than the lot holds open.
        """
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise ValidationError("quantity", "Transfer at least one credit.")
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not clean_reason:
            raise ValidationError("reason", "Say why the credits move (a reason is required).")
        on = today(self._clock)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.ADJUST_CREDITS) as session:
            # Held, so what the credits are worth is computed from what is left now.
            lot = session.scalar(
                select(CreditLot).where(CreditLot.id == lot_id).with_for_update()
                .execution_options(populate_existing=True)
            )  # fmt: skip
            if lot is None:
                raise NotFound(f"There is no credit lot #{lot_id}.")
            if lot.member_id == to_member_id:
                raise ValidationError("member", "The credits already belong to that member.")
            receiver = lock_member(session, to_member_id)
            if receiver.status != MemberStatus.ACTIVE.value:
                raise InvalidState("That member is archived; reactivate them to give them credits.")
            if lot.voided_at is not None or (lot.expires_on is not None and lot.expires_on < on):
                raise InvalidState("That lot is voided or expired: its credits can't move.")
            if quantity > lot.remaining:
                raise InsufficientCredits(
                    f"Can't transfer {quantity} credits: only {lot.remaining} open on that lot."
                )
            new = ledger.transfer(session, lot, to_member_id=receiver.id, quantity=quantity,
                                  at=now, actor=actor, reason=clean_reason)  # fmt: skip
            result = TransferResult(
                lot.id, new.id, quantity, new.price_cents, new.currency, receiver.id
            )
            for entity_id, member_id in ((lot.id, lot.member_id), (new.id, receiver.id)):
                audit.record(
                    session,
                    at=now,
                    actor=actor,
                    action="credits.transfer",
                    entity="credit_lot",
                    entity_id=entity_id,
                    member_id=member_id,
                    after={"from_lot_id": lot.id, "to_lot_id": new.id, "quantity": quantity,
                           "price_cents": new.price_cents, "reason": clean_reason},
                )  # fmt: skip
            giver = lot.member_id
            paid = paid_in(session)  # the receiver's new lot may pay their unpaid bookings
        return Outcome(result, Changes.of(credits=[giver, receiver.id]).merge(paid_changes(paid)))
