"""The expiry run in batches: several short write transactions, the rows of one long one.

``expire_due`` expires ``expiry.BATCH`` lots per write transaction (so no desk waits
long for the write lock after a closure). Here the batch is 3 lots: seven lots due
take three transactions of at most three lots each, and what they write (entries,
audit events, what the lots hold, the count and the members returned) is exactly
what the expiry wrote when it went through the lots one at a time in one
transaction (``_one_at_a_time``, that code as it was).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import AuditEvent, CreditEntry, CreditLot, EntryKind
from desk.services.container import Services
from desk.services.core.actor import Actor
from desk.services.credits import expiry, ledger
from desk.services.records import audit
from tests.actors import SYSTEM
from tests.services.factories import (
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

DAY = date(2026, 3, 20)  # the run's day: lots dated before it are due
BATCH = 3


def _scenario(services: Services) -> list[int]:
    """Four members' lots: seven due, one due but booked empty, others valid; the due ids."""
    pt = make_type(services)
    coach = make_staff(services)
    due = []
    for i in range(4):
        member = make_member(services, f"Member{i}", "Expiry")
        due.append(give_credits(services, member, pt, 1 + i, expires_on=date(2026, 3, 5 + i)).id)
        due.append(give_credits(services, member, pt, 2, expires_on=date(2026, 3, 19)).id)
        give_credits(services, member, pt, 3, expires_on=DAY)  # usable through DAY
        give_credits(services, member, pt, 1)  # never expires
        if i == 0:  # its first lot's one credit is booked: nothing left to expire
            book(services, member, pt, coach, at_local(2026, 3, 5, 9))
            due.pop(0)
    return due


def _one_at_a_time(session: Session, on: date, now: datetime, actor: Actor) -> tuple[int, set[int]]:
    """The expiry before batches: every due lot in one transaction, one by one via the ORM."""
    members: set[int] = set()
    due = session.execute(
        select(CreditLot.id, CreditLot.member_id, CreditLot.remaining).where(
            CreditLot.expires_on < on, CreditLot.remaining > 0
        )
    ).all()
    for lot_id, member_id, remaining in due:
        assert ledger.try_take(session, lot_id, remaining, CreditLot.expires_on < on)
        ledger.post(session, lot_id=lot_id, kind=EntryKind.EXPIRE, delta=-remaining, at=now,
                    actor=actor, reason=f"expired before {on.isoformat()}")  # fmt: skip
        audit.record(session, at=now, actor=actor, action="credits.expire", entity="credit_lot",
                     entity_id=lot_id, member_id=member_id, before={"remaining": remaining},
                     after={"remaining": 0})  # fmt: skip
        members.add(member_id)
    session.flush()
    return len(due), members


def _written(session: Session) -> dict[str, list[Any]]:
    """Every row the expiry writes, without ids (PostgreSQL doesn't hand an id back when a
    transaction rolls back), by lot: the one-at-a-time loop wrote them in the order of
    its query's plan (by expiry date on SQLite, by id on PostgreSQL), the batches by
    lot id. The audit values as the stored JSON text."""
    entries = session.execute(
        select(CreditEntry.lot_id, CreditEntry.kind, CreditEntry.delta, CreditEntry.at,
               CreditEntry.by_id, CreditEntry.reason, CreditEntry.appointment_id,
               CreditEntry.idempotency_key, CreditEntry.reverses_id)
        .where(CreditEntry.kind == EntryKind.EXPIRE.value).order_by(CreditEntry.lot_id)
    ).all()  # fmt: skip
    events = session.execute(
        select(AuditEvent.at, AuditEvent.actor_id, AuditEvent.actor_label, AuditEvent.action,
               AuditEvent.entity, AuditEvent.entity_id, AuditEvent.member_id,
               cast(AuditEvent.before, String), cast(AuditEvent.after, String))
        .where(AuditEvent.action == "credits.expire").order_by(AuditEvent.entity_id)
    ).all()  # fmt: skip
    lots = session.execute(select(CreditLot.id, CreditLot.remaining).order_by(CreditLot.id)).all()
    return {"entries": list(entries), "events": list(events), "lots": list(lots)}


@contextmanager
def _rolled_back(database: Database) -> Iterator[Session]:
    class Undo(Exception):
        pass

    # What the transaction wrote is read inside it, then thrown away.
    try:
        with database.write() as session:
            yield session
            raise Undo
    except Undo:
        pass


def _expire_entries(database: Database) -> int:
    with database.read() as session:
        kind = CreditEntry.kind == EntryKind.EXPIRE.value
        return session.scalar(select(func.count()).where(kind)) or 0


def test_more_lots_than_a_batch_take_several_transactions_of_a_batch_at_most(
    services: Services, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    due = _scenario(services)
    assert len(due) == 7
    per_write: list[int] = []
    write = database.write

    @contextmanager
    def counted() -> Iterator[Session]:
        before = _expire_entries(database)
        with write() as session:
            yield session
        per_write.append(_expire_entries(database) - before)

    monkeypatch.setattr(expiry, "BATCH", BATCH)
    monkeypatch.setattr(database, "write", counted)
    outcome = services.credits.expire_due(DAY, actor=SYSTEM)
    assert outcome.value == 7
    assert per_write == [3, 3, 1]
    with database.read() as session:
        left = session.scalars(select(CreditLot.remaining).where(CreditLot.id.in_(due))).all()
    assert set(left) == {0}
    assert services.credits.expire_due(DAY, actor=SYSTEM).value == 0
    assert services.credits.verify_ledger() == []


def test_the_batches_write_what_one_lot_at_a_time_wrote(
    services: Services, database: Database, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scenario(services)
    with _rolled_back(database) as session:
        expected = _one_at_a_time(session, DAY, clock.now(), SYSTEM)
        rows = _written(session)
    assert len(rows["entries"]) == len(rows["events"]) == 7
    monkeypatch.setattr(expiry, "BATCH", BATCH)
    outcome = services.credits.expire_due(DAY, actor=SYSTEM)
    assert (outcome.value, outcome.changes.credits) == expected
    with database.read() as session:
        assert _written(session) == rows
