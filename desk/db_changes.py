"""The change log's writing half: each write transaction that noted changes adds
one row on commit, so the other desks can catch up (desk/services/core/change_feed.py
is the reading half).

Services note what they changed with ``note_changes(session, ...)`` (the audit
trail does it for every event); just before the commit, ``write_change_log`` takes
the next id from ``change_counter`` — the row stays locked until the commit, so ids
are handed out in commit order without gaps — adds the row and, on PostgreSQL,
sends NOTIFY, which the server delivers only if the transaction commits.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, text, update
from sqlalchemy.orm import Session

from desk.models import ChangeCounter, ChangeLogEntry

THIS_DESK = uuid.uuid4().hex
"""This process's desk id: its own changes come back to it through the log, and are
skipped there (the change hub already announced them)."""
CHANNEL = "desk_changes"
KEEP_FOR = timedelta(days=1)
PRUNE_EVERY = 200
_INFO_KEY = "desk_changes"
_SETS = ("members", "credits", "appointments", "bookings")


def note_changes(
    session: Session,
    *,
    members: Iterable[int] = (),
    credits: Iterable[int] = (),
    appointments: Iterable[int] = (),
    bookings: Iterable[int] = (),
    catalog: bool = False,
    everything: bool = False,
) -> None:
    """Add to what the session's transaction will log as changed on commit."""
    noted = session.info.setdefault(
        _INFO_KEY, {**{name: set() for name in _SETS}, "catalog": False, "everything": False}
    )
    for name, ids in zip(_SETS, (members, credits, appointments, bookings), strict=True):
        noted[name].update(int(i) for i in ids)
    noted["catalog"] = noted["catalog"] or catalog
    noted["everything"] = noted["everything"] or everything


def write_change_log(session: Session, desk: str) -> None:
    """The before-commit hook of every write session (see Database)."""
    noted = session.info.pop(_INFO_KEY, None)
    if not noted:
        return
    payload = {name: sorted(noted[name]) for name in _SETS}
    payload["catalog"] = noted["catalog"]
    payload["everything"] = noted["everything"]
    connection = session.connection()
    new_id = connection.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(last=ChangeCounter.last + 1)
        .returning(ChangeCounter.last)
    ).scalar_one()
    now = datetime.now(UTC)
    session.add(
        ChangeLogEntry(id=new_id, at=now, desk=desk, changes=json.dumps(payload, sort_keys=True))
    )
    if new_id % PRUNE_EVERY == 0:
        session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.at < now - KEEP_FOR))
    session.flush()
    if connection.dialect.name == "postgresql":
        notify = text("SELECT pg_notify(:channel, :id)")
        connection.execute(notify, {"channel": CHANNEL, "id": str(new_id)})
