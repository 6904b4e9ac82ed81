"""Appointment credits: add, adjust, balances, lots, history, expiry, reconciliation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditEntry,
    CreditLot,
    EntryKind,
    LotSource,
    StaffMember,
)
from desk.services.calendar.appointment_types import load_type
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InsufficientCredits, NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.money import MAX_CENTS
from desk.services.core.permissions import Permission, requires
from desk.services.core.read_models import BalanceRow, HistoryKind, HistoryRow, LotView
from desk.services.core.retry import TransientConflict, retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text, is_blank, require_positive
from desk.services.credits import ledger
from desk.services.people.members import load_member
from desk.services.records import audit

MAX_QUANTITY = 1_000


def _priced_or_unexplained(kwargs: dict[str, Any]) -> bool:
    """A front desk may add $0 credits (a migration) only with a note saying why."""
    price = kwargs.get("price_cents", 0)
    return bool(price) or is_blank(str(kwargs.get("note") or ""))


USED_STATUSES = (
    AppointmentStatus.ATTENDED.value,
    AppointmentStatus.NO_SHOW.value,
    AppointmentStatus.LATE_CANCELLED.value,
)


def _lot_view(lot: CreditLot, type_name: str, created_by: str | None, on: date) -> LotView:
    return LotView(
        id=lot.id,
        member_id=lot.member_id,
        appointment_type_id=lot.appointment_type_id,
        appointment_type=type_name,
        source=LotSource(lot.source),
        quantity=lot.quantity,
        remaining=lot.remaining,
        price_cents=lot.price_cents,
        currency=lot.currency,
        created_at=lot.created_at,
        created_by=created_by,
        expires_on=lot.expires_on,
        note=lot.note,
        is_expired=lot.expires_on is not None and lot.expires_on < on,
    )


def lot_view_of(session: Session, lot_id: int, on: date) -> LotView:
    """The read model of one lot, inside the caller's session."""
    row = session.execute(
        select(CreditLot, AppointmentType.name, StaffMember.name)
        .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
        .outerjoin(StaffMember, StaffMember.id == CreditLot.created_by_id)
        .where(CreditLot.id == lot_id)
    ).first()
    if row is None:
        raise NotFound(f"There is no lot #{lot_id}.")
    lot, type_name, by = row
    return _lot_view(lot, type_name, by, on)


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


class _CreditsMoved(InsufficientCredits, TransientConflict):
    """Another desk took some of the credits being removed: read the lots again."""


class CreditService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- writes ---------------------------------------------------------------------------

    @requires(Permission.ADD_PRICED_CREDITS, when=_priced_or_unexplained)
    @requires(Permission.ADD_FREE_CREDITS)
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
        by: StaffId | None = None,
        idempotency_key: str | None = None,
        import_batch: str | None = None,
    ) -> Outcome[LotView]:
        """Grant ``quantity`` credits of one appointment type to a member (a new lot).

        ``price_cents`` is what was paid ($0 for migrated or comped credits). With
        an ``idempotency_key`` already used, nothing is written and the existing
        lot comes back with empty changes. Raises NotFound for an unknown member
        or type, ValidationError for a quantity outside 1..1000, a negative price,
        an expiry date in the past, or a type no longer offered.
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
                by=by,
                reason=clean_note,
                price_cents=price_cents,
                expires_on=expires_on,
                note=clean_note,
                idempotency_key=idempotency_key,
                import_batch=import_batch,
            )
            audit.record(
                session,
                at=now,
                actor=by,
                action="credits.add",
                entity="credit_lot",
                entity_id=lot.id,
                member_id=member.id,
                after=_lot_snapshot(lot),
            )
            view = _lot_view(lot, kind.name, self._staff_name(session, by), on)
        return Outcome(view, Changes.of(credits=[member_id]))

    @requires(Permission.ADJUST_CREDITS)
    @retry_transient
    def adjust(
        self,
        *,
        member_id: MemberId,
        appointment_type_id: AppointmentTypeId,
        delta: int,
        reason: str,
        by: StaffId | None = None,
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
        with self._db.write() as session:
            member = load_member(session, member_id)
            kind = load_type(session, appointment_type_id)
            touched = (
                self._increase(session, member.id, kind, delta, clean_reason, by, on)
                if delta > 0
                else self._decrease(session, member.id, kind, -delta, clean_reason, by, on)
            )
            audit.record(
                session,
                at=now,
                actor=by,
                action="credits.adjust",
                entity="member",
                entity_id=member.id,
                member_id=member.id,
                before=None,
                after={
                    "appointment_type_id": kind.id,
                    "delta": delta,
                    "reason": clean_reason,
                    "lots": touched,
                },
            )
            balance = self._balances(session, member.id, on, only_type=kind.id)[0]
        return Outcome(balance, Changes.of(credits=[member_id]))

    def _increase(
        self,
        session: Session,
        member_id: int,
        kind: AppointmentType,
        amount: int,
        reason: str,
        by: int | None,
        on: date,
    ) -> list[int]:
        now = self._clock.now()
        target = session.scalar(
            select(CreditLot.id)
            .where(
                CreditLot.member_id == member_id,
                CreditLot.appointment_type_id == kind.id,
                (CreditLot.expires_on.is_(None)) | (CreditLot.expires_on >= on),
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
                by=by,
                reason=reason,
                entry_kind=EntryKind.ADJUST,
                note=reason,
            )
            return [lot.id]
        ledger.give(session, target, amount)
        ledger.post(
            session,
            lot_id=target,
            kind=EntryKind.ADJUST,
            delta=amount,
            at=now,
            by=by,
            reason=reason,
        )
        return [target]

    def _decrease(
        self,
        session: Session,
        member_id: int,
        kind: AppointmentType,
        amount: int,
        reason: str,
        by: int | None,
        on: date,
    ) -> list[int]:
        now = self._clock.now()
        lots = session.execute(ledger.usable_lots(member_id, kind.id, on)).all()
        available = sum(remaining for _id, remaining in lots)
        if available < amount:
            raise InsufficientCredits(
                f"Can't remove {amount} {kind.name} credit{'s' if amount != 1 else ''}: "
                f"only {available} open."
            )
        touched: list[int] = []
        need = amount
        for lot_id, remaining in lots:
            if need == 0:
                break
            take = min(remaining, need)
            if not ledger.try_take(session, lot_id, take):
                # Another desk moved this lot since we read it; the transaction is
                # rolled back rather than guessing, and @retry_transient reads again.
                raise _CreditsMoved(f"The {kind.name} credits changed while adjusting; try again.")
            ledger.post(
                session,
                lot_id=lot_id,
                kind=EntryKind.ADJUST,
                delta=-take,
                at=now,
                by=by,
                reason=reason,
            )
            touched.append(lot_id)
            need -= take
        return touched

    @retry_transient
    def expire_due(self, on: date | None = None, *, by: StaffId | None = None) -> Outcome[int]:
        """Write expire entries for open credits on lots whose date has passed.

        ``on`` defaults to today; a lot expiring on a date is usable through that
        date. Running it again finds nothing new (idempotent). Returns how many
        lots it expired.
        """
        on = on or today(self._clock)
        now = self._clock.now()
        members: set[int] = set()
        with self._db.write() as session:
            due = session.execute(
                select(CreditLot.id, CreditLot.member_id, CreditLot.remaining).where(
                    CreditLot.expires_on < on, CreditLot.remaining > 0
                )
            ).all()
            for lot_id, member_id, remaining in due:
                if not ledger.try_take(session, lot_id, remaining):
                    continue
                ledger.post(
                    session,
                    lot_id=lot_id,
                    kind=EntryKind.EXPIRE,
                    delta=-remaining,
                    at=now,
                    by=by,
                    reason=f"expired before {on.isoformat()}",
                )
                audit.record(
                    session,
                    at=now,
                    actor=by,
                    action="credits.expire",
                    entity="credit_lot",
                    entity_id=lot_id,
                    member_id=member_id,
                    before={"remaining": remaining},
                    after={"remaining": 0},
                )
                members.add(member_id)
        return Outcome(len(due), Changes.of(credits=members))

    # --- reads ----------------------------------------------------------------------------

    def balances(self, member_id: MemberId) -> list[BalanceRow]:
        """Per appointment type: granted, adjusted, open, booked, used, expired.

        Raises NotFound for an unknown member.
        """
        with self._db.read() as session:
            load_member(session, member_id)
            return self._balances(session, member_id, today(self._clock))

    def open_credits(self, member_id: MemberId, appointment_type_id: AppointmentTypeId) -> int:
        """Credits of one type the member can book today."""
        with self._db.read() as session:
            lots = session.execute(
                ledger.usable_lots(member_id, appointment_type_id, today(self._clock))
            )
            return sum(remaining for _id, remaining in lots)

    def lots(self, member_id: MemberId, *, include_expired: bool = False) -> list[LotView]:
        """The member's lots, newest first. Without ``include_expired`` only lots
        that still have usable credits. Raises NotFound for an unknown member."""
        on = today(self._clock)
        query = (
            select(CreditLot, AppointmentType.name, StaffMember.name)
            .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
            .outerjoin(StaffMember, StaffMember.id == CreditLot.created_by_id)
            .where(CreditLot.member_id == member_id)
            .order_by(CreditLot.created_at.desc(), CreditLot.id.desc())
        )
        if not include_expired:
            query = query.where(
                CreditLot.remaining > 0,
                (CreditLot.expires_on.is_(None)) | (CreditLot.expires_on >= on),
            )
        with self._db.read() as session:
            load_member(session, member_id)
            return [
                _lot_view(lot, type_name, by, on) for lot, type_name, by in session.execute(query)
            ]

    def history(self, member_id: MemberId) -> list[HistoryRow]:
        """Everything sold, booked, attended, cancelled, adjusted and expired, newest first.

        Raises NotFound for an unknown member.
        """
        booker = aliased(StaffMember)
        coach = aliased(StaffMember)
        # Plain columns, not ORM objects: a member with years of visits has thousands
        # of rows, and building three objects per row cost most of a profile's opening.
        entries = (
            select(
                CreditEntry.id,
                CreditEntry.at,
                CreditEntry.kind,
                CreditEntry.delta,
                CreditEntry.reason,
                CreditEntry.appointment_id,
                CreditLot.id.label("lot_id"),
                CreditLot.source,
                AppointmentType.name.label("type_name"),
                booker.name.label("by"),
                Appointment.starts_at.label("appointment_at"),
                Appointment.status.label("appointment_status"),
                Appointment.notes.label("appointment_notes"),
                coach.name.label("coach_name"),
            )
            .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
            .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
            .outerjoin(booker, booker.id == CreditEntry.by_id)
            .outerjoin(Appointment, Appointment.id == CreditEntry.appointment_id)
            .outerjoin(coach, coach.id == Appointment.staff_id)
            .where(CreditLot.member_id == member_id)
        )
        changer = aliased(StaffMember)
        attended = (
            select(
                Appointment.id,
                Appointment.starts_at,
                Appointment.status_changed_at,
                Appointment.notes,
                Appointment.lot_id,
                AppointmentType.name,
                coach.name,
                changer.name,
            )
            .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
            .join(coach, coach.id == Appointment.staff_id)
            .outerjoin(changer, changer.id == Appointment.status_changed_by_id)
            .where(
                Appointment.member_id == member_id,
                Appointment.status == AppointmentStatus.ATTENDED.value,
            )
        )
        rows: list[tuple[datetime, int, HistoryRow]] = []
        with self._db.read() as session:
            load_member(session, member_id)
            # Core rows straight from the connection: the ORM's result machinery
            # added ~10 ms per 2,500 rows for columns that are plain values anyway.
            connection = session.connection()
            for entry in connection.execute(entries).all():
                rows.append((entry.at, entry.id, self._entry_row(entry)))
            for (
                appt_id,
                starts,
                changed,
                notes,
                lot_id,
                type_name,
                coach_name,
                by,
            ) in connection.execute(attended).all():
                at = changed or starts
                rows.append(
                    (
                        at,
                        0,
                        HistoryRow(
                            at=at,
                            kind=HistoryKind.ATTENDED,
                            appointment_type=type_name,
                            staff=coach_name,
                            credit_effect=0,
                            by=by,
                            detail=notes,
                            lot_id=lot_id,
                            appointment_id=appt_id,
                            appointment_at=starts,
                        ),
                    )
                )
        # Newest first; entries written in the same instant keep their write order.
        rows.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [row for _at, _seq, row in rows]

    def verify_ledger(self) -> list[str]:
        """Problems found reconciling each lot's cached remaining with its entries.

        An empty list means every lot's ``remaining`` equals the sum of its
        entries and every appointment that holds a credit has exactly one debit.
        """
        problems: list[str] = []
        sums = (
            select(CreditEntry.lot_id, func.sum(CreditEntry.delta).label("total"))
            .group_by(CreditEntry.lot_id)
            .subquery()
        )
        with self._db.read() as session:
            mismatched = session.execute(
                select(CreditLot.id, CreditLot.remaining, func.coalesce(sums.c.total, 0))
                .outerjoin(sums, sums.c.lot_id == CreditLot.id)
                .where(CreditLot.remaining != func.coalesce(sums.c.total, 0))
            )
            for lot_id, remaining, total in mismatched:
                problems.append(f"lot {lot_id}: remaining {remaining} but entries sum to {total}")
            unpaid = session.execute(
                select(Appointment.id)
                .outerjoin(
                    CreditEntry,
                    and_(
                        CreditEntry.appointment_id == Appointment.id,
                        CreditEntry.kind == EntryKind.BOOK.value,
                    ),
                )
                .where(Appointment.lot_id.is_not(None), CreditEntry.id.is_(None))
            ).scalars()
            for appointment_id in unpaid:
                problems.append(f"appointment {appointment_id}: has a lot but no debit entry")
        return problems

    # --- helpers --------------------------------------------------------------------------

    def _balances(
        self, session: Session, member_id: int, on: date, only_type: int | None = None
    ) -> list[BalanceRow]:
        expired = and_(CreditLot.expires_on.is_not(None), CreditLot.expires_on < on)
        lot_rows = (
            select(
                CreditLot.appointment_type_id,
                func.sum(case((expired, 0), else_=CreditLot.remaining)),
                func.sum(case((expired, CreditLot.remaining), else_=0)),
            )
            .where(CreditLot.member_id == member_id)
            .group_by(CreditLot.appointment_type_id)
        )
        entry_rows = (
            select(CreditLot.appointment_type_id, CreditEntry.kind, func.sum(CreditEntry.delta))
            .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
            .where(
                CreditLot.member_id == member_id,
                CreditEntry.kind.in_(
                    [EntryKind.GRANT.value, EntryKind.ADJUST.value, EntryKind.EXPIRE.value]
                ),
            )
            .group_by(CreditLot.appointment_type_id, CreditEntry.kind)
        )
        appointment_rows = (
            select(Appointment.appointment_type_id, Appointment.status, func.count(Appointment.id))
            .where(Appointment.member_id == member_id, Appointment.lot_id.is_not(None))
            .group_by(Appointment.appointment_type_id, Appointment.status)
        )
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for type_id, open_, expired_left in session.execute(lot_rows):
            counts[type_id]["open"] += int(open_ or 0)
            counts[type_id]["expired"] += int(expired_left or 0)
        for type_id, kind, total in session.execute(entry_rows):
            if kind == EntryKind.GRANT.value:
                counts[type_id]["granted"] += int(total)
            elif kind == EntryKind.ADJUST.value:
                counts[type_id]["adjusted"] += int(total)
            else:
                counts[type_id]["expired"] += -int(total)
        for type_id, status, n in session.execute(appointment_rows):
            if status == AppointmentStatus.BOOKED.value:
                counts[type_id]["booked"] += n
            elif status in USED_STATUSES:
                counts[type_id]["used"] += n
        if only_type is not None:
            counts.setdefault(only_type, defaultdict(int))
            counts = {only_type: counts[only_type]}
        names = dict(
            session.execute(
                select(AppointmentType.id, AppointmentType.name).where(
                    AppointmentType.id.in_(list(counts))
                )
            ).all()
        )
        return sorted(
            (
                BalanceRow(
                    appointment_type_id=type_id,
                    appointment_type=names[type_id],
                    granted=c["granted"],
                    adjusted=c["adjusted"],
                    open=c["open"],
                    booked=c["booked"],
                    used=c["used"],
                    expired=c["expired"],
                )
                for type_id, c in counts.items()
            ),
            key=lambda row: row.appointment_type.lower(),
        )

    @staticmethod
    def _entry_row(entry: Any) -> HistoryRow:
        kind = EntryKind(entry.kind)
        detail = entry.reason
        if kind == EntryKind.GRANT:
            history_kind = HistoryKind.SOLD
            detail = entry.source.capitalize() + (f": {entry.reason}" if entry.reason else "")
        elif kind == EntryKind.BOOK:
            history_kind = HistoryKind.BOOKED
            detail = entry.appointment_notes or ""
        elif kind == EntryKind.RELEASE:
            history_kind = HistoryKind.CANCELLED
        elif kind == EntryKind.FORFEIT:
            is_no_show = entry.appointment_status == AppointmentStatus.NO_SHOW.value
            history_kind = HistoryKind.NO_SHOW if is_no_show else HistoryKind.LATE_CANCELLED
        elif kind == EntryKind.ADJUST:
            history_kind = HistoryKind.ADJUSTED
        else:
            history_kind = HistoryKind.EXPIRED
        return HistoryRow(
            at=entry.at,
            kind=history_kind,
            appointment_type=entry.type_name,
            staff=entry.coach_name,
            credit_effect=entry.delta,
            by=entry.by,
            detail=detail,
            lot_id=entry.lot_id,
            appointment_id=entry.appointment_id,
            appointment_at=entry.appointment_at,
        )

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
        return _lot_view(lot, type_name, by, on)

    @staticmethod
    def _staff_name(session: Session, staff_id: int | None) -> str | None:
        if staff_id is None:
            return None
        staff = session.get(StaffMember, staff_id)
        if staff is None:
            raise NotFound(f"There is no staff member #{staff_id}.")
        return staff.name
