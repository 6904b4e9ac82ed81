"""Importing members from another system: every new member in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import ImportKind, Member, MemberStatus
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.permissions import Permission, authorized
from desk.services.core.progress import Cancelled, Progress
from desk.services.core.retry import retry_transient
from desk.services.importing.directory import MemberDirectory
from desk.services.importing.fields import MEMBER_FIELDS, map_columns, parse_overrides, require
from desk.services.importing.import_run import CHUNK, ImportCancelled, load_source, record_batch
from desk.services.importing.member_rows import MemberRow, read_member_rows
from desk.services.importing.report import ImportOptions, ImportReport


class MembersImport:
    """The members import of ImportService."""

    _db: Database
    _clock: Clock

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
        table, file_name = load_source(source, options)
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
        record_batch(
            session, batch_id=batch_id, kind=ImportKind.MEMBERS, action="import.members",
            file_name=file_name, sha256=sha256, rows=len(rows), at=now, actor=actor,
            details={"members": len(rows)},
        )  # fmt: skip
        return ids
