"""Reading appointment credits: balances, lots, history, and reconciling the ledger."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
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
from desk.services.core.clock import Clock, today
from desk.services.core.errors import NotFound
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.read_models import BalanceRow, HistoryKind, HistoryRow, LotView
from desk.services.credits import ledger
from desk.services.credits.history_rows import entry_row, history_entries
from desk.services.credits.paying_lot import can_pay_on
from desk.services.credits.pool_lots import own_lot, owned_by
from desk.services.people.members import load_member

USED_STATUSES = (
    AppointmentStatus.ATTENDED.value,
    AppointmentStatus.NO_SHOW.value,
    AppointmentStatus.LATE_CANCELLED.value,
)


# Its own name (callers may select credit entries too), made once: a fresh alias
# costs about a millisecond to adapt its columns, on every read that asks.
_RELEASE = aliased(CreditEntry, name="release_entry")


def used_its_credit() -> ColumnElement[bool]:
    """SQL: the appointment used the credit that paid for it: attended, a no-show or a
    late cancel, and not forgiven afterwards (a forgiven one's credit has a release)."""
    forgiven = (
        select(_RELEASE.id)  # the id, so the (appointment_id, kind) index answers alone
        .where(_RELEASE.appointment_id == Appointment.id,
               _RELEASE.kind == EntryKind.RELEASE.value)
        .exists()
    )  # fmt: skip
    return and_(Appointment.status.in_(USED_STATUSES), ~forgiven)


def lot_view(lot: CreditLot, type_name: str, created_by: str | None, on: date) -> LotView:
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
        first_use_days=lot.first_use_days,
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
    return lot_view(lot, type_name, by, on)


class CreditReads:
    """The read side of CreditService (which adds the writes)."""

    _db: Database
    _clock: Clock

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
            on = today(self._clock)
            return sum(
                lot.remaining
                for lot in ledger.usable_choices(session, member_id, appointment_type_id, on)
            )

    def lots(self, member_id: MemberId, *, include_expired: bool = False) -> list[LotView]:
        """The member's lots, newest first. Without ``include_expired`` only lots
        that still have usable credits. Raises NotFound for an unknown member."""
        on = today(self._clock)
        query = (
            select(CreditLot, AppointmentType.name, StaffMember.name)
            .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
            .outerjoin(StaffMember, StaffMember.id == CreditLot.created_by_id)
            .where(owned_by(member_id))  # a shared pool's lots: PoolService.pool_of
            .order_by(CreditLot.created_at.desc(), CreditLot.id.desc())
        )
        if not include_expired:
            query = query.where(can_pay_on(on))
        with self._db.read() as session:
            load_member(session, member_id)
            return [
                lot_view(lot, type_name, by, on) for lot, type_name, by in session.execute(query)
            ]

    def history(self, member_id: MemberId) -> list[HistoryRow]:
        """Everything sold, booked, attended, cancelled, adjusted and expired, newest first.

        Raises NotFound for an unknown member.
        """
        coach = aliased(StaffMember)
        # Their own lots, and the shared credits they used (a pool's own history
        # is PoolService.pool_history).
        # Two queries, not one OR across the joined tables, so each keeps its index.
        entries = [
            history_entries().where(owned_by(member_id)),
            history_entries().where(~own_lot(), Appointment.member_id == member_id),
        ]
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
            for query in entries:
                for entry in connection.execute(query).all():
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
        return balance_rows(session, on, member_id=member_id, only_type=only_type)

    @staticmethod
    def _entry_row(entry: Any) -> HistoryRow:
        return entry_row(entry)


def balance_rows(
    session: Session,
    on: date,
    *,
    member_id: int | None = None,
    pool_id: int | None = None,
    only_type: int | None = None,
) -> list[BalanceRow]:
    """Per type: granted, adjusted, open, booked, used, expired of a member's own lots,
    or (``pool_id``) of a shared pool's lots, whoever of its members booked them."""
    lots_of = owned_by(member_id or 0) if pool_id is None else CreditLot.pool_id == pool_id
    paid_by = (
        [Appointment.member_id == member_id, own_lot()]
        if pool_id is None
        else [CreditLot.pool_id == pool_id]
    )
    expired = and_(CreditLot.expires_on.is_not(None), CreditLot.expires_on < on)
    lot_rows = (
        select(
            CreditLot.appointment_type_id,
            func.sum(case((expired, 0), else_=CreditLot.remaining)),
            func.sum(case((expired, CreditLot.remaining), else_=0)),
        )
        .where(lots_of)  # own credits only: a pool's are counted apart
        .group_by(CreditLot.appointment_type_id)
    )
    entry_rows = (
        select(CreditLot.appointment_type_id, CreditEntry.kind, func.sum(CreditEntry.delta))
        .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
        .where(
            lots_of,
            CreditEntry.kind.in_(
                [EntryKind.GRANT.value, EntryKind.ADJUST.value, EntryKind.EXPIRE.value]
            ),
        )
        .group_by(CreditLot.appointment_type_id, CreditEntry.kind)
    )
    appointment_rows = (
        select(Appointment.appointment_type_id, Appointment.status, func.count(Appointment.id))
        .join(CreditLot, CreditLot.id == Appointment.lot_id)
        .where(
            *paid_by,
            or_(Appointment.status == AppointmentStatus.BOOKED.value, used_its_credit()),
        )
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
        booked = status == AppointmentStatus.BOOKED.value
        counts[type_id]["booked" if booked else "used"] += n
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
