"""Importing outstanding credits from another system: each row a migration lot."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import (
    AppointmentType,
    ImportKind,
    LotSource,
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
from desk.services.credits.settle_unpaid import paid_changes, paid_in
from desk.services.importing.credit_rows import CreditRow, CreditRowReader
from desk.services.importing.date_columns import settle_date_orders
from desk.services.importing.directory import MemberDirectory, text_key
from desk.services.importing.fields import CREDIT_FIELDS, map_columns, parse_overrides, require
from desk.services.importing.import_run import (
    CHUNK,
    ImportCancelled,
    insert_new_members,
    load_source,
    record_batch,
    types_with,
)
from desk.services.importing.keys import split_fresh
from desk.services.importing.report import ImportOptions, ImportReport, RowStatus
from desk.services.importing.row_outcomes import draft_report, left_out_outcomes, row_outcomes
from desk.services.importing.type_maps import (
    by_key,
    detect_system,
    parse_type_map,
    remember,
    remembered,
    system_key,
)
from desk.services.importing.values import DATE_ORDERS


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

        Each row becomes a lot with source "migration" holding the row's
        remaining credits, priced at what they are worth (the file's value of
        what is left, a unit price times the credits, or the lot's share of its
        price; $0 without any), remembered under one import batch. Types are
        read through ``options.type_map`` and the mapping remembered for the
        file's system (a given mapping is remembered once the import is
        written). Rows with nothing remaining and rows left out by choice are
        skipped and accounted for in ``report.outcomes``, like every other row.
        Rows already imported (same content, same file or not) are reported and
        skipped. With any error, or with ``options.dry_run``, nothing is
        written: the report says what would happen. Raises ValidationError when
        the file can't be read, its columns can't be mapped or a --map-type pair
        is malformed, ImportCancelled when ``cancelled()`` turns true.
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
        date_orders, date_problems = settle_date_orders(
            table, mapping, ("expires_on",), options.date_order
        )
        given_map = parse_type_map(options.type_map)
        system = system_key(options.source_system or detect_system(table.header))
        left_out = dict(options.leave_out)
        with authorized(self._db, actor, Permission.IMPORT) as session:
            lock_for_transaction(session, "desk.imports")  # one import at a time
            directory = MemberDirectory.load(session)
            types = {text_key(name): name for name in session.scalars(select(AppointmentType.name))}
            type_map = {**remembered(session, system), **given_map}
            reader = CreditRowReader(
                table,
                mapping,
                directory,
                types,
                date_orders=date_orders,
                today=today(self._clock),
                create_missing_members=options.create_missing_members,
                create_missing_types=options.create_missing_types,
                type_map=by_key(type_map),
                left_out=frozenset(left_out),
            )
            reader.read()
            fresh, already = split_fresh(session, reader.rows)
            problems = date_problems + reader.problems
            skipped = left_out_outcomes(left_out)
            skipped.update(
                (line, (RowStatus.NOTHING_REMAINING, "0 remaining")) for line in reader.zero_lines
            )
            report = draft_report(
                "credits", file_name, table, mapping, read=reader.rows, fresh=fresh,
                problems=problems, new_types=reader.new_types, source_system=system,
                type_map=type_map,
            )  # fmt: skip
            outcomes = partial(
                row_outcomes, table, fresh=fresh, already=already, problems=problems,
                skipped=skipped,
            )  # fmt: skip
            if not report.ok or options.dry_run or not fresh:
                # Leaving the block without writing anything: the transaction is empty.
                report = replace(report, outcomes=outcomes(written=False))
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
            if given_map:
                remember(session, system, type_map, at=self._clock.now(), actor=actor)
            paid = paid_in(session)
        report = replace(
            report,
            batch_id=batch_id,
            written=True,
            paid_unpaid=paid,
            member_ids=sorted(member_ids),
            outcomes=outcomes(written=True),
        )
        let_go(fresh, reader.rows, table.rows, *directory.indexes())
        return Outcome(
            report,
            Changes.of(
                credits=member_ids, members=member_ids, catalog=bool(reader.new_types)
            ).merge(paid_changes(paid)),
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
        kinds = types_with(session, new_types)
        type_ids = {key: kind.id for key, kind in kinds.items()}
        currency = {key: kind.currency for key, kind in kinds.items()}  # as a desk sale's
        new_members = {r.new_member.key: r.new_member for r in rows if r.new_member}
        member_ids_by_key = insert_new_members(session, list(new_members.values()), batch_id, now)
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
                actor=actor,
            )
            if progress is not None:
                progress(min(start + CHUNK, total), total)
        if cancelled is not None and cancelled():
            raise ImportCancelled("The import was cancelled; nothing was written.")
        record_batch(
            session, batch_id=batch_id, kind=ImportKind.CREDITS, action="import.credits",
            file_name=file_name, sha256=sha256, rows=total, at=now, actor=actor,
            details={"rows": total, "members_created": len(new_members),
                     "types_created": sorted(new_types.values())},
        )  # fmt: skip
        return touched
