"""Import members and outstanding credits from another system; undo an import."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import (
    Appointment,
    AppointmentType,
    AuditEvent,
    CreditEntry,
    CreditLot,
    EntryKind,
    ImportBatch,
    ImportKind,
    ImportStatus,
    LotSource,
    Member,
    MemberStatus,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import DeskError, InvalidState, NotFound, ValidationError
from desk.services.core.memory import let_go
from desk.services.core.permissions import Permission, authorized
from desk.services.core.progress import Cancelled, Progress
from desk.services.core.retry import retry_transient
from desk.services.credits import ledger
from desk.services.importing.credit_rows import CreditRow, CreditRowReader, settle_date_order
from desk.services.importing.csv_file import CsvTable, read_csv, read_csv_bytes
from desk.services.importing.directory import MemberDirectory, text_key
from desk.services.importing.fields import (
    CREDIT_FIELDS,
    MEMBER_FIELDS,
    map_columns,
    parse_overrides,
    require,
)
from desk.services.importing.member_rows import MemberRow, read_member_rows
from desk.services.importing.report import ImportOptions, ImportReport
from desk.services.importing.values import DATE_ORDERS
from desk.services.records import audit

CHUNK = 5_000


class ImportCancelled(DeskError):
    """The person cancelled; nothing was written."""


@dataclass(frozen=True)
class BatchView:
    id: str
    kind: str
    file_name: str
    created_at: datetime
    rows_imported: int
    status: str


def _load(source: Path | bytes, options: ImportOptions) -> tuple[CsvTable, str]:
    if isinstance(source, Path):
        return read_csv(source, encoding=options.encoding, delimiter=options.delimiter), source.name
    return read_csv_bytes(source, encoding=options.encoding, delimiter=options.delimiter), "upload"


class ImportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- credits ----------------------------------------------------------------------------

    @retry_transient
    def import_credits(
        self,
        source: Path | bytes,
        options: ImportOptions = ImportOptions(),  # noqa: B008 - frozen, never mutated
        *,
        actor: Actor,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Outcome[ImportReport]:
        """Check a credits file whole, then import every row in one transaction.

        Each row becomes a lot with source "migration" and the row's price (or
        $0), remembered under one import batch. Rows already imported (same
        content, same file or not) are reported and skipped. With any error, or
        with ``options.dry_run``, nothing is written: the report says what would
        happen. Raises ValidationError when the file can't be read or its columns
        can't be mapped, ImportCancelled when ``cancelled()`` turns true.
        """
        if options.date_order is not None and options.date_order not in DATE_ORDERS:
            raise ValidationError("date_order", "--date-order is mdy or dmy.")
        table, file_name = _load(source, options)
        mapping = map_columns(
            table.header, CREDIT_FIELDS, parse_overrides(list(options.mappings), CREDIT_FIELDS)
        )
        require(
            mapping,
            [
                ("external_id", "email", "name", "first_name", "last_name"),
                ("appointment_type",),
                ("quantity",),
            ],
            "member, appointment type and number of credits",
        )
        date_order = settle_date_order(table, mapping, options.date_order)
        with authorized(self._db, actor, Permission.IMPORT) as session:
            lock_for_transaction(session, "desk.imports")  # one import at a time
            directory = MemberDirectory.load(session)
            types = {text_key(name): name for name in session.scalars(select(AppointmentType.name))}
            reader = CreditRowReader(
                table,
                mapping,
                directory,
                types,
                date_order=date_order,
                today=today(self._clock),
                create_missing_members=options.create_missing_members,
                create_missing_types=options.create_missing_types,
            )
            reader.read()
            done_keys = self._existing_keys(session, [r.idempotency_key for r in reader.rows])
            fresh = [r for r in reader.rows if r.idempotency_key not in done_keys]
            report = ImportReport(
                kind="credits",
                file_name=file_name,
                encoding=table.encoding,
                delimiter=table.delimiter_name,
                columns={f: mapping.column_name(f) for f in mapping.columns},
                rows=len(table.rows),
                to_import=len(fresh),
                already_imported=len(reader.rows) - len(fresh),
                problems=reader.problems,
                created_members=len({r.new_member.key for r in fresh if r.new_member}),
                created_types=sorted(reader.new_types.values()),
                member_ids=sorted({r.member_id for r in reader.rows if r.member_id is not None}),
            )
            if not report.ok or options.dry_run or not fresh:
                # Leaving the block without writing anything: the transaction is empty.
                let_go(fresh, reader.rows, table.rows, *directory.indexes())
                return Outcome(report, Changes())
            batch_id = str(uuid.uuid4())
            member_ids = self._write_credits(
                session,
                fresh,
                reader.new_types,
                batch_id,
                file_name,
                table.sha256,
                actor,
                progress,
                cancelled,
            )
        report = replace(report, batch_id=batch_id, written=True, member_ids=sorted(member_ids))
        let_go(fresh, reader.rows, table.rows, *directory.indexes())
        return Outcome(
            report,
            Changes.of(credits=member_ids, members=member_ids, catalog=bool(reader.new_types)),
        )

    def _write_credits(
        self,
        session: Session,
        rows: list[CreditRow],
        new_types: dict[str, str],
        batch_id: str,
        file_name: str,
        sha256: str,
        actor: Actor,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> set[int]:
        now = self._clock.now()
        type_ids: dict[str, int] = {}
        currency: dict[str, str] = {}
        for type_id, name, type_currency in session.execute(
            select(AppointmentType.id, AppointmentType.name, AppointmentType.currency)
        ):
            type_ids[text_key(name)] = type_id
            currency[text_key(name)] = type_currency  # as a lot sold at the desk would
        for key, name in new_types.items():
            created = AppointmentType(
                name=name,
                duration_minutes=60,
                color="#64748b",
                default_price_cents=0,
                currency="USD",
                late_cancel_hours=24,
                active=True,
            )
            session.add(created)
            session.flush()
            type_ids[key] = created.id
            currency[key] = "USD"
        new_members = {r.new_member.key: r.new_member for r in rows if r.new_member}
        member_ids_by_key: dict[str, int] = {}
        if new_members:
            created_ids = session.scalars(
                insert(Member).returning(Member.id, sort_by_parameter_order=True),
                [
                    {
                        "first_name": m.first_name,
                        "last_name": m.last_name,
                        "email": m.email,
                        "phone": None,
                        "phone_digits": None,
                        "notes": "",
                        "status": MemberStatus.ACTIVE.value,
                        "external_id": m.external_id,
                        "import_batch": batch_id,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for m in new_members.values()
                ],
            ).all()
            member_ids_by_key = dict(zip(new_members, created_ids, strict=True))
        touched: set[int] = set()
        total = len(rows)
        for start in range(0, total, CHUNK):
            if cancelled is not None and cancelled():
                raise ImportCancelled("The import was cancelled; nothing was written.")
            chunk = rows[start : start + CHUNK]
            lot_rows: list[dict[str, Any]] = []
            for row in chunk:
                member_id = (
                    member_ids_by_key[row.new_member.key]
                    if row.new_member is not None
                    else row.member_id
                )
                assert member_id is not None  # every row has a member or a new member
                touched.add(member_id)
                lot_rows.append(
                    {
                        "member_id": member_id,
                        "appointment_type_id": type_ids[row.type_key],
                        "quantity": row.quantity,
                        "source": LotSource.MIGRATION.value,
                        "price_cents": row.price_cents,
                        "currency": currency.get(row.type_key, "USD"),
                        "expires_on": row.expires_on,
                        "created_at": now,
                        "created_by_id": actor.staff_id,
                        "note": row.note,
                    }
                )
            ledger.open_lots(
                session,
                lot_rows,
                [
                    {
                        "at": now,
                        "by_id": actor.staff_id,
                        "reason": f"imported from {file_name}",
                        "appointment_id": None,
                        "idempotency_key": row.idempotency_key,
                    }
                    for row in chunk
                ],
                import_batch=batch_id,
            )
            if progress is not None:
                progress(min(start + CHUNK, total), total)
        if cancelled is not None and cancelled():
            raise ImportCancelled("The import was cancelled; nothing was written.")
        session.add(
            ImportBatch(
                id=batch_id,
                kind=ImportKind.CREDITS.value,
                file_name=file_name[:260],
                file_sha256=sha256,
                created_at=now,
                created_by_id=actor.staff_id,
                rows_imported=total,
                status=ImportStatus.IMPORTED.value,
            )
        )
        audit.record(
            session,
            at=now,
            actor=actor,
            action="import.credits",
            entity="import_batch",
            entity_id=None,
            after={
                "batch": batch_id,
                "file": file_name,
                "rows": total,
                "members_created": len(new_members),
                "types_created": sorted(new_types.values()),
            },
        )
        return touched

    @staticmethod
    def _existing_keys(session: Session, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            found.update(
                k
                for k in session.scalars(
                    select(CreditEntry.idempotency_key).where(CreditEntry.idempotency_key.in_(part))
                )
                if k is not None
            )
        return found

    # --- members ----------------------------------------------------------------------------

    @retry_transient
    def import_members(
        self,
        source: Path | bytes,
        options: ImportOptions = ImportOptions(),  # noqa: B008 - frozen, never mutated
        *,
        actor: Actor,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Outcome[ImportReport]:
        """Check a members file whole, then add every new member in one transaction.

        Members already in Desk (same external id; else same name and email; else
        same name and phone) are reported and skipped; a row with only a name whose
        namesake is in Desk gets a warning. With any error, or a dry run, nothing is
        written.
        Raises ValidationError when the file can't be read or mapped,
        ImportCancelled when ``cancelled()`` turns true.
        """
        table, file_name = _load(source, options)
        mapping = map_columns(
            table.header, MEMBER_FIELDS, parse_overrides(list(options.mappings), MEMBER_FIELDS)
        )
        require(mapping, [("name", "first_name", "last_name")], "member names")
        with authorized(self._db, actor, Permission.IMPORT) as session:
            lock_for_transaction(session, "desk.imports")  # one import at a time
            directory = MemberDirectory.load(session)
            rows, problems, existing = read_member_rows(table, mapping, directory)
            report = ImportReport(
                kind="members",
                file_name=file_name,
                encoding=table.encoding,
                delimiter=table.delimiter_name,
                columns={f: mapping.column_name(f) for f in mapping.columns},
                rows=len(table.rows),
                to_import=len(rows),
                already_imported=existing,
                problems=problems,
            )
            if not report.ok or options.dry_run or not rows:
                return Outcome(report, Changes())
            batch_id = str(uuid.uuid4())
            ids = self._write_members(
                session, rows, batch_id, file_name, table.sha256, actor, progress, cancelled
            )
        report = replace(
            report, batch_id=batch_id, written=True, created_members=len(ids), member_ids=ids
        )
        return Outcome(report, Changes.of(members=ids))

    def _write_members(
        self,
        session: Session,
        rows: list[MemberRow],
        batch_id: str,
        file_name: str,
        sha256: str,
        actor: Actor,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> list[int]:
        now = self._clock.now()
        ids: list[int] = []
        for start in range(0, len(rows), CHUNK):
            if cancelled is not None and cancelled():
                raise ImportCancelled("The import was cancelled; nothing was written.")
            chunk = rows[start : start + CHUNK]
            ids.extend(
                session.scalars(
                    insert(Member).returning(Member.id, sort_by_parameter_order=True),
                    [
                        {
                            "first_name": r.first_name,
                            "last_name": r.last_name,
                            "email": r.email,
                            "phone": r.phone,
                            "phone_digits": r.phone_digits,
                            "notes": r.notes,
                            "status": MemberStatus.ACTIVE.value,
                            "external_id": r.external_id,
                            "import_batch": batch_id,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for r in chunk
                    ],
                ).all()
            )
            if progress is not None:
                progress(min(start + CHUNK, len(rows)), len(rows))
        session.add(
            ImportBatch(
                id=batch_id,
                kind=ImportKind.MEMBERS.value,
                file_name=file_name[:260],
                file_sha256=sha256,
                created_at=now,
                created_by_id=actor.staff_id,
                rows_imported=len(rows),
                status=ImportStatus.IMPORTED.value,
            )
        )
        audit.record(
            session,
            at=now,
            actor=actor,
            action="import.members",
            entity="import_batch",
            entity_id=None,
            after={"batch": batch_id, "file": file_name, "members": len(rows)},
        )
        return ids

    # --- batches ----------------------------------------------------------------------------

    def batches(self) -> list[BatchView]:
        """Every import, newest first."""
        with self._db.read() as session:
            return [
                BatchView(b.id, b.kind, b.file_name, b.created_at, b.rows_imported, b.status)
                for b in session.scalars(
                    select(ImportBatch).order_by(ImportBatch.created_at.desc())
                )
            ]

    @retry_transient
    def undo(self, batch_id: str, *, actor: Actor) -> Outcome[BatchView]:
        """Take back an import while none of what it brought has been used.

        Credits: each lot of the batch is written off with an adjustment (the
        ledger keeps the history) and its rows may be imported again. Members:
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
            if batch.kind == ImportKind.CREDITS:
                members = self._undo_credits(session, batch_id, now, actor)
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
        return Outcome(view, Changes.of(credits=members, members=members))

    @staticmethod
    def _undo_credits(session: Session, batch_id: str, now: datetime, actor: Actor) -> set[int]:
        lots = session.execute(
            select(CreditLot.id, CreditLot.member_id, CreditLot.quantity).where(
                CreditLot.import_batch == batch_id
            )
        ).all()
        lot_ids = [lot.id for lot in lots]
        used = (
            session.execute(
                select(Member.first_name, Member.last_name)
                .join(CreditLot, CreditLot.member_id == Member.id)
                .join(CreditEntry, CreditEntry.lot_id == CreditLot.id)
                .where(CreditLot.id.in_(lot_ids), CreditEntry.kind != EntryKind.GRANT.value)
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
        # The grant entries keep their history but give up their keys, so the same
        # rows can be imported again after a mistaken import was undone (and that
        # import undone too: the batch id keeps each undone key unique).
        ledger.retire_grant_keys(session, lot_ids, suffix=f":undone:{batch_id}")
        return {lot.member_id for lot in lots}

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
