"""The imports done so far, and taking one back while nothing it brought has been used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import (
    Appointment,
    AuditEvent,
    CreditEntry,
    CreditLot,
    EntryKind,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Member,
    StaffMember,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import InvalidState, NotFound
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.credits import ledger
from desk.services.importing.undo_bookings import (
    lock_imported_bookings,
    release_imported_bookings,
)
from desk.services.records import audit


@dataclass(frozen=True)
class BatchView:
    id: str
    kind: str
    file_name: str
    created_at: datetime
    rows_imported: int
    status: str
    by: str = ""
    """The staff member who imported it; "" for the command line or the system."""
    members: int = 0
    """Members it concerns: those its credits went to, or those it created."""
    credits: int = 0
    """Credits it brought (as granted, whatever happened since)."""
    value_cents: int = 0
    """What those credits were worth when they came in."""


class ImportUndo:
    """Listing and undoing imports: the batches part of ImportService."""

    _db: Database
    _clock: Clock

    def batches(self) -> list[BatchView]:
        """Every import, newest first: when, who, file, rows, members, credits, value."""
        with self._db.read() as session:
            lots = {
                batch: (members, credits or 0, value or 0)
                for batch, members, credits, value in session.execute(
                    select(
                        CreditLot.import_batch,
                        func.count(func.distinct(CreditLot.member_id)),
                        func.sum(CreditLot.quantity),
                        func.sum(CreditLot.price_cents),
                    )
                    .where(CreditLot.import_batch.is_not(None))
                    .group_by(CreditLot.import_batch)
                )
            }
            created = dict(
                session.execute(
                    select(Member.import_batch, func.count(Member.id))
                    .where(Member.import_batch.is_not(None))
                    .group_by(Member.import_batch)
                ).all()
            )
            rows = session.execute(
                select(ImportBatch, StaffMember.name)
                .outerjoin(StaffMember, StaffMember.id == ImportBatch.created_by_id)
                .order_by(ImportBatch.created_at.desc())
            )
            views = []
            for b, by in rows:
                members, credits, value = lots.get(b.id, (created.get(b.id, 0), 0, 0))
                views.append(
                    BatchView(
                        b.id,
                        b.kind,
                        b.file_name,
                        b.created_at,
                        b.rows_imported,
                        b.status,
                        by or "",
                        members,
                        credits,
                        value,
                    )
                )
            return views

    @retry_transient
    def undo(self, batch_id: str, *, actor: Actor) -> Outcome[BatchView]:
        """Take back an import while none of what it brought has been used.

        Credits: each lot of the batch is written off with a reversing adjustment;
        the grant entries stay exactly as they were, idempotency keys included,
        and the rows may be imported again (``keys.fresh_keys``). An import of
        booked sessions first cancels its bookings, each giving its credit back
        (refused once one was checked in, marked no-show or cancelled). Members:
        the members it created are removed, which is refused once any of them
        has credits or appointments. Raises NotFound for an unknown batch,
        InvalidState when it was already undone or something was used.
        """
        now = self._clock.now()
        with authorized(self._db, actor, Permission.IMPORT) as session:
            lock_for_transaction(session, "desk.imports")  # two desks can't both undo it
            batch = session.get(ImportBatch, batch_id)
            if batch is None:
                raise NotFound(f"There is no import {batch_id!r}.")
            if batch.status == ImportStatus.UNDONE:
                raise InvalidState(f"The import of {batch.file_name} was already undone.")
            members: set[int] = set()
            appointments: list[int] = []
            if batch.kind == ImportKind.CREDITS:
                members, appointments = self._undo_credits(session, batch_id, now, actor)
            else:
                members = self._undo_members(session, batch_id)
            batch.status = ImportStatus.UNDONE.value
            batch.undone_at = now
            batch.undone_by_id = actor.staff_id
            audit.record(
                session,
                at=now,
                actor=actor,
                action=f"import.undo_{batch.kind}",
                entity="import_batch",
                entity_id=None,
                after={"batch": batch_id, "file": batch.file_name, "members": len(members)},
            )
            view = BatchView(
                batch.id,
                batch.kind,
                batch.file_name,
                batch.created_at,
                batch.rows_imported,
                batch.status,
            )
        changes = Changes.of(
            credits=members, members=members, appointments=appointments, bookings=members
        )
        return Outcome(view, changes)

    @staticmethod
    def _undo_credits(
        session: Session, batch_id: str, now: datetime, actor: Actor
    ) -> tuple[set[int], list[int]]:
        lots = session.execute(
            select(CreditLot.id, CreditLot.member_id, CreditLot.quantity).where(
                CreditLot.import_batch == batch_id
            )
        ).all()
        lot_ids = [lot.id for lot in lots]
        # An import of booked sessions: its own bookings are no use of its credits.
        bookings = lock_imported_bookings(session, batch_id)
        own = [a.id for a in bookings]
        not_its_own = CreditEntry.kind != EntryKind.GRANT.value
        if own:
            not_its_own = not_its_own & ~(
                (CreditEntry.kind == EntryKind.BOOK.value) & CreditEntry.appointment_id.in_(own)
            )
        used = (
            session.execute(
                select(Member.first_name, Member.last_name)
                .join(CreditLot, CreditLot.member_id == Member.id)
                .join(CreditEntry, CreditEntry.lot_id == CreditLot.id)
                .where(CreditLot.id.in_(lot_ids), not_its_own)
                .distinct()
                .order_by(Member.last_name, Member.first_name)
            ).all()
            if lot_ids
            else []
        )
        if used:
            names = ", ".join(f"{first} {last}".strip() for first, last in used[:3])
            more = f" and {len(used) - 3} more" if len(used) > 3 else ""
            raise InvalidState(
                f"Some credits of this import were already booked, adjusted or expired "
                f"({names}{more}); it can't be undone as a whole. Adjust the members' "
                "credits instead."
            )
        release_imported_bookings(session, bookings, batch_id, now, actor)
        for lot in lots:
            # The same conditional take as a booking: a booking that committed after
            # the check above makes this fail, the whole undo rolls back, and the
            # retry refuses above with the member's name.
            ledger.take_or_raise(session, lot.id, lot.quantity, "undoing the import")
            ledger.post(
                session,
                lot_id=lot.id,
                kind=EntryKind.ADJUST,
                delta=-lot.quantity,
                at=now,
                actor=actor,
                reason=f"import {batch_id} undone",
            )
        return {lot.member_id for lot in lots}, own

    @staticmethod
    def _undo_members(session: Session, batch_id: str) -> set[int]:
        ids = set(session.scalars(select(Member.id).where(Member.import_batch == batch_id)))
        if not ids:
            return set()
        has_lots = session.scalar(
            select(func.count(CreditLot.id)).where(CreditLot.member_id.in_(ids))
        )
        has_appointments = session.scalar(
            select(func.count(Appointment.id)).where(Appointment.member_id.in_(ids))
        )
        # Any audit event naming one of them means someone has worked with them since.
        touched = session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.member_id.in_(ids))
        )
        if has_lots or has_appointments or touched:
            raise InvalidState(
                "Some members of this import were changed or have credits or appointments "
                "since; archive them one by one instead."
            )
        session.execute(delete(Member).where(Member.id.in_(ids)))
        return ids
