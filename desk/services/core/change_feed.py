"""The change log's reading half: what other desks changed since a desk last looked,
and a way to wait for the next change without asking the database over and over.

PostgreSQL announces each committed change with NOTIFY (desk/db_changes.py), so a
desk listens on one connection of its own; a SQLite file has no notifications, so a
desk watches ``PRAGMA data_version``, which moves when another connection commits.
Either way the rows after the last seen id say what changed.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from desk.db import Database
from desk.db_changes import CHANNEL
from desk.models import ChangeCounter, ChangeLogEntry
from desk.services.core.changes import Changes

BATCH = 5000
SQLITE_POLL_SECONDS = 0.1


class FeedLost(Exception):
    """The listening connection broke; make a new waiter and read from the log."""


@dataclass(frozen=True)
class FeedRead:
    """The log after a desk's last seen id: the id it has now seen up to, and what
    other desks changed (everything when the log no longer holds all of it)."""

    last_id: int
    changes: Changes


class ChangeWaiter(Protocol):
    def wait(self, timeout: float) -> bool:
        """Block until another connection may have committed, or ``timeout`` seconds
        pass; True when something may have changed. Raises FeedLost."""
        ...

    def close(self) -> None: ...


class ChangeFeed:
    """Reads the change log for one desk (``db.desk_id``); its own rows are skipped."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def latest_id(self) -> int:
        """The newest change-log id: where a desk that just loaded its screens starts."""
        with self._db.read() as session:
            return int(session.scalar(select(ChangeCounter.last)) or 0)

    def read_since(self, last_id: int) -> FeedRead:
        """Other desks' changes after ``last_id``, at most BATCH rows at a time."""
        with self._db.read() as session:
            # The counter first: on PostgreSQL each statement sees what had committed
            # when it began, so read the other way round a change committed in between
            # would be missing from the rows yet counted, and taken for a pruned one.
            newest = int(session.scalar(select(ChangeCounter.last)) or 0)
            rows = session.execute(
                select(ChangeLogEntry.id, ChangeLogEntry.desk, ChangeLogEntry.changes)
                .where(ChangeLogEntry.id > last_id)
                .order_by(ChangeLogEntry.id)
                .limit(BATCH)
            ).all()
        if not rows:
            if newest > last_id:  # pruned since: the log no longer says what
                return FeedRead(newest, Changes(everything=True))
            return FeedRead(last_id, Changes())
        seen = rows[-1].id
        if rows[0].id != last_id + 1:  # ids have no gaps: the missing ones were pruned
            return FeedRead(seen, Changes(everything=True))
        changes = Changes()
        for row in rows:
            if row.desk != self._db.desk_id:
                changes = changes.merge(_changes_of(json.loads(row.changes)))
        return FeedRead(seen, changes)

    def waiter(self) -> ChangeWaiter:
        """A new waiter on a connection of its own. Raises FeedLost if it can't connect."""
        if self._db.is_postgresql:
            return _Listener(self._db)
        return _DataVersionWatch(self._db)


def _changes_of(payload: dict[str, Any]) -> Changes:
    return Changes.of(
        members=payload.get("members", ()),
        credits=payload.get("credits", ()),
        appointments=payload.get("appointments", ()),
        bookings=payload.get("bookings", ()),
        catalog=bool(payload.get("catalog")),
        everything=bool(payload.get("everything")),
    )


class _Listener:
    """LISTEN on a connection of its own (autocommit: notifications arrive between
    transactions only)."""

    def __init__(self, db: Database) -> None:
        import psycopg  # only a desk on a server needs it (and pays its import)

        self._error = psycopg.Error
        url = db.engine.url.set(drivername="postgresql")
        try:
            self._conn = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
            )
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise FeedLost(str(exc).strip()) from exc

    def wait(self, timeout: float) -> bool:
        try:
            for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                return True
        except self._error as exc:
            raise FeedLost(str(exc).strip()) from exc
        return False

    def close(self) -> None:
        self._conn.close()


class _DataVersionWatch:
    """``PRAGMA data_version`` of a connection of its own: it changes when any other
    connection, in this process or another, commits to the file."""

    def __init__(self, db: Database) -> None:
        path = db.sqlite_path
        self._conn = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._version = self._read()

    def _read(self) -> int:
        try:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise FeedLost(str(exc)) from exc

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            version = self._read()
            if version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(SQLITE_POLL_SECONDS, left))

    def close(self) -> None:
        self._conn.close()
