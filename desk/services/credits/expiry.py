"""Expiring the credits left on lots whose date has passed, a batch of lots at a time.

After a closure thousands of lots are due at once (about 10,000 at 100,000 members
after 30 days). One transaction for all of them held SQLite's write lock for
seconds, so every other desk's booking waited; here each batch is its own short
write transaction of a few set-based statements (``ledger.expire_lots``), and
between batches other desks get the lock.

The lots due are listed once, by a read outside any write transaction; each batch
then reads its lots again under a row lock (``FOR UPDATE``; on SQLite BEGIN
IMMEDIATE already serialises writers) with the same condition, so a lot booked
empty, expired by another run or given a later date since the list was read is
skipped, and what the entry takes is what the lot holds then. A credit given back
to a listed lot meanwhile is expired with the rest of it; a lot that became due
after the list was read waits for the next run, as it did when the run was one
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, cast, insert, literal, select
from sqlalchemy.orm import Session

from desk.db_changes import note_changes
from desk.models import AuditEvent, CreditLot
from desk.services.core.actor import Actor
from desk.services.credits import ledger

BATCH = 500
"""Lots per write transaction. At 100,000 members (tests/benchmarks/test_expiry_speed.py,
10,443 lots due after 30 days) the longest batch of 500 held SQLite's write lock
56 ms, well under the 200 ms another desk may wait, and the run took 1.5x the wall
time of one set-based transaction for all (1.2x its CPU time); batches of 1,000
held it up to 141 ms for 1.3x."""


def due_lot_ids(session: Session, on: date) -> list[int]:
    """The lots with credits left and an expiry before ``on``, by id."""
    # A lot expiring on a date is usable through that date.
    due = CreditLot.expires_on < on, CreditLot.remaining > 0
    return list(session.scalars(select(CreditLot.id).where(*due).order_by(CreditLot.id)))


def expire_batch(
    session: Session, lot_ids: Sequence[int], on: date, *, at: datetime, actor: Actor
) -> tuple[int, set[int]]:
    """Expire the lots of ``lot_ids`` still due on ``on`` in the caller's write
    transaction, each with its expire entry and its audit event; how many lots it
    expired and their members. Raises CreditsMoved (a TransientConflict) only if a
    lot changed under its row lock, which the lock rules out."""
    due = CreditLot.expires_on < on, CreditLot.remaining > 0
    # Locked in id order, so two runs (each in id order) wait for each other rather
    # than deadlock; PostgreSQL re-checks ``due`` on a row another desk changed.
    rows = session.execute(
        select(CreditLot.id, CreditLot.member_id)
        .where(CreditLot.id.in_(lot_ids), *due)
        .order_by(CreditLot.id)
        .with_for_update(of=CreditLot)
    ).all()
    if not rows:
        return 0, set()
    locked = [row.id for row in rows]
    members = {row.member_id for row in rows}
    _audit(session, locked, members, at=at, actor=actor)  # reads what is left: before the take
    ledger.expire_lots(session, locked, on, at=at, actor=actor,
                       reason=f"expired before {on.isoformat()}")  # fmt: skip
    return len(rows), members


def _audit(
    session: Session, lot_ids: list[int], members: set[int], *, at: datetime, actor: Actor
) -> None:
    """The audit events ``audit.record`` would write for each lot ("credits.expire",
    before: what is left, after: 0), by one INSERT ... SELECT instead of an ORM row
    each (at 1,000 lots a batch, building those rows cost more than the writes)."""
    # json.dumps' own spelling, so the rows are byte for byte those of audit.record.
    before: ColumnElement[Any] = literal('{"remaining": ') + cast(CreditLot.remaining, String)
    before = before + literal("}")
    # PostgreSQL stores text in a json column only by a cast; SQLite has no json type.
    json_text = cast(before, JSON) if session.get_bind().dialect.name != "sqlite" else before
    columns = {
        "at": literal(at, AuditEvent.at.type),
        "actor_id": literal(actor.staff_id, AuditEvent.actor_id.type),
        "actor_label": literal(actor.label or None, AuditEvent.actor_label.type),
        "action": literal("credits.expire"),
        "entity": literal("credit_lot"),
        "entity_id": CreditLot.id,
        "member_id": CreditLot.member_id,
        "before": json_text,
        "after": literal({"remaining": 0}, JSON()),
    }
    rows = select(*columns.values()).where(CreditLot.id.in_(lot_ids)).order_by(CreditLot.id)
    session.execute(insert(AuditEvent).from_select(list(columns), rows))
    # What audit.record would note for the other desks (audit_changes: a lot's event
    # changes its member's credits), once for the batch rather than once a row.
    note_changes(session, credits=members)
