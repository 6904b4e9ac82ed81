"""Appointment credits: add, adjust, balances, lots, history, expiry, reconciliation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    AppointmentType,
    CreditEntry,
    CreditLot,
    EntryKind,
    LotSource,
    StaffMember,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InsufficientCredits, NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.money import MAX_CENTS
from desk.services.core.permissions import Permission, authorize, authorized
from desk.services.core.read_models import BalanceRow, LotView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text, require_positive
from desk.services.credits import expiry, ledger, settle_unpaid
from desk.services.credits.credit_reads import CreditReads, lot_view
from desk.services.credits.paying_lot import choose_lot, is_open_on, spend
from desk.services.credits.paying_order_reads import PayingOrderReads
from desk.services.credits.pool_lots import owned_by, pool_for_grant
from desk.services.credits.settle_unpaid import paid_changes, paid_in
from desk.services.people.members import load_member
from desk.services.records import audit

MAX_QUANTITY = 1_000


def grant_permissions(price_cents: int, note: str) -> tuple[Permission, ...]:
    """What adding credits needs: a front desk may add $0 credits (a migration)
    only with a note saying why; a price, or no note, takes the priced permission."""
    if price_cents or not note:
        return (Permission.ADD_FREE_CREDITS, Permission.ADD_PRICED_CREDITS)
    return (Permission.ADD_FREE_CREDITS,)


def _lot_snapshot(lot: CreditLot) -> dict[str, Any]:
    return {
        "lot_id": lot.id,
        "appointment_type_id": lot.appointment_type_id,
        "quantity": lot.quantity,
        "remaining": lot.remaining,
        "source": lot.source,
        "price_cents": lot.price_cents,
        "expires_on": lot.expires_on,
        "note": lot.note,
    }


class CreditService(CreditReads, PayingOrderReads):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- writes ---------------------------------------------------------------------------

    @retry_transient
    def add_credits(
        self,
        *,
        member_id: MemberId,
        appointment_type_id: AppointmentTypeId,
        quantity: int,
        expires_on: date | None,
        price_cents: int = 0,
        source: LotSource = LotSource.MANUAL,
        note: str = "",
        actor: Actor,
        idempotency_key: str | None = None,
        import_batch: str | None = None,
        pool_id: int | None = None,
    ) -> Outcome[LotView]:
        """Grant ``quantity`` credits of one appointment type to a member (a new lot).

        ``price_cents`` is what was paid ($0 for migrated or comped credits). With
        an ``idempotency_key`` already used, nothing is written and the existing
        lot comes back with empty changes. With ``pool_id`` the lot is that shared
        pool's (the member must be in it; ValidationError otherwise). Raises
        NotFound for an unknown member or type, ValidationError for a quantity
        outside 1..1000, a negative price, an expiry date in the past, or a type
        no longer offered.
        """
        require_positive(quantity, "quantity", maximum=MAX_QUANTITY)
        if isinstance(price_cents, bool) or not isinstance(price_cents, int):
            raise ValidationError("price", "The price must be a whole number of cents.")
        if not 0 <= price_cents <= MAX_CENTS:
            raise ValidationError("price", "The price can't be negative or that large.")
        on = today(self._clock)
        if expires_on is not None and expires_on < on:
            raise ValidationError(
                "expires_on", f"The expiry date {expires_on.isoformat()} is already past."
            )
        clean_note = clean_text(note, "note", max_length=MAX_TEXT)
        source = LotSource(source)
        now = self._clock.now()
        with self._db.write() as session:
            authorize(session, actor, *grant_permissions(price_cents, clean_note))
            if idempotency_key is not None:
                replay = self._replayed_lot(session, idempotency_key, on)
                if replay is not None:
                    return Outcome(replay, Changes())
            member = load_member(session, member_id)
            kind = load_type(session, appointment_type_id)
            if not kind.active:
                raise ValidationError(
                    "appointment_type", f"{kind.name} is no longer offered; reactivate it first."
                )
            lot = ledger.open_lot(
                session,
                member_id=member.id,
                appointment_type_id=kind.id,
                quantity=quantity,
                source=source,
                currency=kind.currency,
                at=now,
                actor=actor,
                reason=clean_note,
                price_cents=price_cents,
                expires_on=expires_on,
                note=clean_note,
                idempotency_key=idempotency_key,
                import_batch=import_batch,
                pool_id=pool_for_grant(session, member.id, pool_id),
            )
            audit.record(
                session,
                at=now,
                actor=actor,
                action="credits.add",
                entity="credit_lot",
                entity_id=lot.id,
                member_id=member.id,
                after=_lot_snapshot(lot),
            )
            view = lot_view(lot, kind.name, self._staff_name(session, actor.staff_id), on)
            paid = paid_in(session)
        view = replace(view, paid_unpaid=paid)
        return Outcome(view, Changes.of(credits=[member_id]).merge(paid_changes(paid)))

    @retry_transient
    def adjust(
        self,
        *,
        member_id: MemberId,
        appointment_type_id: AppointmentTypeId,
        delta: int,
        reason: str,
        actor: Actor,
    ) -> Outcome[BalanceRow]:
        """Correct a member's open credits of one type by ``delta`` (+/-), with a reason.

        A decrease takes from the lots that expire first; an increase goes on the
        open lot that lasts longest, or a new "manual" lot if none is open. The
        result is the type's balance afterwards. Raises ValidationError for a zero
        delta or a missing reason, InsufficientCredits when a decrease is larger
        than the open credits, NotFound for an unknown member or type.
        """
        if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
            raise ValidationError("delta", "The change must be a whole number other than 0.")
        if abs(delta) > MAX_QUANTITY:
            raise ValidationError("delta", f"The change can be at most {MAX_QUANTITY} either way.")
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not clean_reason:
            raise ValidationError("reason", "Say why the credits change (a reason is required).")
        on = today(self._clock)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.ADJUST_CREDITS) as session:
            member = load_member(session, member_id)
            kind = load_type(session, appointment_type_id)
            touched = (
                self._increase(session, member.id, kind, delta, clean_reason, actor, on)
                if delta > 0
                else self._decrease(session, member.id, kind, -delta, clean_reason, actor, on)
            )
            audit.record(
                session,
                at=now,
                actor=actor,
                action="credits.adjust",
                entity="member",
                entity_id=member.id,
                member_id=member.id,
                before=None,
                after={
                    "appointment_type_id": kind.id,
                    "delta": delta,
                    "reason": clean_reason,
                    "lots": [lot for lot, _amount in touched],
                    "amounts": [amount for _lot, amount in touched],  # per lot, for Undo
                },
            )
            balance = self._balances(session, member.id, on, only_type=kind.id)[0]
            paid = paid_in(session)  # an increase's new lot may pay unpaid bookings
        return Outcome(balance, Changes.of(credits=[member_id]).merge(paid_changes(paid)))

    def _increase(
        self,
        session: Session,
        member_id: int,
        kind: AppointmentType,
        amount: int,
        reason: str,
        actor: Actor,
        on: date,
    ) -> list[tuple[int, int]]:
        now = self._clock.now()
        target = session.scalar(
            select(CreditLot.id)
            .where(
                owned_by(member_id),
                CreditLot.appointment_type_id == kind.id,
                # Not a voided lot: its sale was taken back, so it takes nothing new.
                is_open_on(on),
            )
            # The lot that lasts longest keeps the added credits usable longest.
            .order_by(
                CreditLot.expires_on.is_not(None), CreditLot.expires_on.desc(), CreditLot.id.desc()
            )
            .limit(1)
        )
        if target is None:
            # No open lot to add to: the credits get a "manual" lot of their own,
            # put there by the adjustment (they were not sold or granted).
            lot = ledger.open_lot(
                session,
                member_id=member_id,
                appointment_type_id=kind.id,
                quantity=amount,
                source=LotSource.MANUAL,
                currency=kind.currency,
                at=now,
                actor=actor,
                reason=reason,
                entry_kind=EntryKind.ADJUST,
                note=reason,
            )
            return [(lot.id, amount)]
        ledger.give(session, target, amount)
        ledger.post(
            session,
            lot_id=target,
            kind=EntryKind.ADJUST,
            delta=amount,
            at=now,
            actor=actor,
            reason=reason,
        )
        # Credits added to an existing lot pay the member's unpaid bookings, as a new
        # lot's do (ledger.open_lot): none may stay unpaid next to a usable credit.
        settle_unpaid.settle(session, member_id=member_id, type_id=kind.id, at=now, actor=actor)
        return [(target, amount)]

    def _decrease(
        self,
        session: Session,
        member_id: int,
        kind: AppointmentType,
        amount: int,
        reason: str,
        actor: Actor,
        on: date,
    ) -> list[tuple[int, int]]:
        now = self._clock.now()
        lots = ledger.usable_choices(session, member_id, kind.id, on, pools=False)
        available = sum(lot.remaining for lot in lots)
        if available < amount:
            raise InsufficientCredits(
                f"Can't remove {amount} {kind.name} credit{'s' if amount != 1 else ''}: "
                f"only {available} open."
            )
        touched: list[tuple[int, int]] = []
        need = amount
        while need > 0:
            # Removed in the order they would pay: the first to expire goes first.
            chosen = choose_lot(lots, on)
            assert chosen is not None  # available >= amount
            take = min(chosen.remaining, need)
            ledger.take_or_raise(session, chosen.id, take, f"adjusting the {kind.name} credits")
            ledger.post(
                session,
                lot_id=chosen.id,
                kind=EntryKind.ADJUST,
                delta=-take,
                at=now,
                actor=actor,
                reason=reason,
            )
            lots = spend(lots, chosen, take)
            touched.append((chosen.id, -take))
            need -= take
        return touched

    def expire_due(self, on: date | None = None, *, actor: Actor) -> Outcome[int]:
        """Write expire entries for open credits on lots whose date has passed.

        ``on`` defaults to today; a lot expiring on a date is usable through that
        date. Running it again finds nothing new (idempotent). Returns how many
        lots it expired. The lots go in batches of ``expiry.BATCH``, each its own
        short write transaction (retried alone on a transient conflict), so other
        desks wait for a batch at most, not for the whole run; should one fail for
        good, the batches before it stay expired and running it again does the
        rest. Raises PermissionDenied unless the actor may expire credits, and
        DatabaseBusy if other desks kept a batch from writing through every retry.
        """
        on = on or today(self._clock)
        now = self._clock.now()
        with self._db.read() as session:
            authorize(session, actor, Permission.EXPIRE)  # refused even with nothing due
            due = expiry.due_lot_ids(session, on)
        expired, members = 0, set[int]()
        for start in range(0, len(due), expiry.BATCH):
            count, touched = self._expire_batch(due[start : start + expiry.BATCH], on, now, actor)
            expired += count
            members |= touched
        return Outcome(expired, Changes.of(credits=members))

    @retry_transient
    def _expire_batch(
        self, lot_ids: list[int], on: date, now: datetime, actor: Actor
    ) -> tuple[int, set[int]]:
        with authorized(self._db, actor, Permission.EXPIRE) as session:
            return expiry.expire_batch(session, lot_ids, on, at=now, actor=actor)

    @staticmethod
    def _replayed_lot(session: Session, key: str, on: date) -> LotView | None:
        row = session.execute(
            select(CreditLot, AppointmentType.name, StaffMember.name)
            .join(CreditEntry, CreditEntry.lot_id == CreditLot.id)
            .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
            .outerjoin(StaffMember, StaffMember.id == CreditLot.created_by_id)
            .where(CreditEntry.idempotency_key == key)
        ).first()
        if row is None:
            return None
        lot, type_name, by = row
        return lot_view(lot, type_name, by, on)

    @staticmethod
    def _staff_name(session: Session, staff_id: int | None) -> str | None:
        if staff_id is None:
            return None
        staff = session.get(StaffMember, staff_id)
        if staff is None:
            raise NotFound(f"There is no staff member #{staff_id}.")
        return staff.name
