"""Importing outstanding credits from another system: each row a migration lot."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import (
    AppointmentType,
    CreditEntry,
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
from desk.services.core.errors import ValidationError
from desk.services.core.memory import let_go
from desk.services.core.permissions import Permission, authorized
from desk.services.core.progress import Cancelled, Progress
from desk.services.core.retry import retry_transient
from desk.services.credits import ledger
from desk.services.importing.credit_rows import CreditRow, CreditRowReader, settle_date_order
from desk.services.importing.directory import MemberDirectory, text_key
from desk.services.importing.fields import CREDIT_FIELDS, map_columns, parse_overrides, require
from desk.services.importing.import_run import CHUNK, ImportCancelled, load_source
from desk.services.importing.report import ImportOptions, ImportReport
from desk.services.importing.values import DATE_ORDERS
from desk.services.records import audit


class CreditsImport:
    """The credits import of ImportService."""

    _db: Database
    _clock: Clock

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
        table, file_name = load_source(source, options)
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
