"""Idempotency keys of imported rows, across imports that were undone."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import CreditEntry, CreditLot, ImportBatch, ImportStatus
from desk.services.importing.row_reader import Row

_PART = 500


def _statuses(session: Session, keys: list[str]) -> dict[str, str]:
    """key -> the status of the import that wrote it ("imported" also for an entry
    written by no import, such as a retried click)."""
    found: dict[str, str] = {}
    for start in range(0, len(keys), _PART):
        part = keys[start : start + _PART]
        rows = session.execute(
            select(CreditEntry.idempotency_key, ImportBatch.status)
            .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
            .outerjoin(ImportBatch, ImportBatch.id == CreditLot.import_batch)
            .where(CreditEntry.idempotency_key.in_(part))
        )
        for key, status in rows:
            if key is not None:
                found[key] = status or ImportStatus.IMPORTED.value
    return found


def fresh_keys(session: Session, keys: list[str]) -> tuple[set[str], dict[str, str]]:
    """(keys already imported, key -> the key a new import of it must use).

    An undo leaves the entries it reverses as they were, keys included, so a row
    imported again after its import was undone gets the next free spelling of
    its key: ``key``, then ``key#2``, ``key#3``... A row is already imported
    when one of those belongs to an import that stands.
    """
    live: set[str] = set()
    renamed: dict[str, str] = {}
    pending = list(dict.fromkeys(keys))
    generation = 1
    while pending:
        spelled = {(k if generation == 1 else f"{k}#{generation}"): k for k in pending}
        statuses = _statuses(session, list(spelled))
        pending = []
        for candidate, key in spelled.items():
            status = statuses.get(candidate)
            if status is None:
                if generation > 1:
                    renamed[key] = candidate
            elif status == ImportStatus.UNDONE.value:
                pending.append(key)
            else:
                live.add(key)
        generation += 1
    return live, renamed


def split_fresh(session: Session, rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(rows to write, each with the key it is written under; rows already imported)."""
    live, renamed = fresh_keys(session, [r.idempotency_key for r in rows])
    fresh = [
        replace(r, idempotency_key=renamed.get(r.idempotency_key, r.idempotency_key))
        for r in rows
        if r.idempotency_key not in live
    ]
    return fresh, [r for r in rows if r.idempotency_key in live]
