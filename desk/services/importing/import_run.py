"""What every import run shares: reading its file, writing in chunks, being cancelled."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desk.models import AppointmentType, ImportBatch, ImportKind, ImportStatus, Member, MemberStatus
from desk.services.core.actor import Actor
from desk.services.core.errors import DeskError
from desk.services.importing.csv_file import CsvTable, read_csv, read_csv_bytes
from desk.services.importing.directory import text_key
from desk.services.importing.report import ImportOptions
from desk.services.importing.row_reader import NewMember
from desk.services.records import audit

CHUNK = 5_000


class ImportCancelled(DeskError):
    """The person cancelled; nothing was written."""


def load_source(source: Path | bytes, options: ImportOptions) -> tuple[CsvTable, str]:
    if isinstance(source, Path):
        return read_csv(source, encoding=options.encoding, delimiter=options.delimiter), source.name
    return read_csv_bytes(source, encoding=options.encoding, delimiter=options.delimiter), "upload"


def insert_new_members(
    session: Session, new_members: list[NewMember], batch_id: str, now: datetime
) -> dict[str, int]:
    """Create the members rows need (--create-missing-members); their key -> id."""
    if not new_members:
        return {}
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
            for m in new_members
        ],
    ).all()
    return dict(zip((m.key for m in new_members), created_ids, strict=True))


def types_with(session: Session, new_types: dict[str, str]) -> dict[str, AppointmentType]:
    """Every appointment type by ``text_key`` of its name, after creating ``new_types``
    (key -> name, --create-missing-types) with plain defaults to edit later."""
    kinds = {text_key(t.name): t for t in session.scalars(select(AppointmentType))}
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
        kinds[key] = created
    return kinds


def record_batch(
    session: Session,
    *,
    batch_id: str,
    kind: ImportKind,
    action: str,
    file_name: str,
    sha256: str,
    rows: int,
    at: datetime,
    actor: Actor,
    details: dict[str, Any],
) -> None:
    """The import batch row (what File > Imports lists and undo takes back) and its
    audit event ``action`` with ``details``."""
    session.add(
        ImportBatch(
            id=batch_id, kind=kind.value, file_name=file_name[:260], file_sha256=sha256,
            created_at=at, created_by_id=actor.staff_id, rows_imported=rows,
            status=ImportStatus.IMPORTED.value,
        )
    )  # fmt: skip
    audit.record(
        session, at=at, actor=actor, action=action, entity="import_batch", entity_id=None,
        after={"batch": batch_id, "file": file_name, **details},
    )  # fmt: skip
