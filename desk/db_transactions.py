"""Beyond a session, what a write transaction needs: which failures to run again, named locks.

``transient_kind`` tells ``@retry_transient`` whether a failed transaction may run
again as a whole; ``lock_for_transaction`` serializes transactions that take the same
name (see the ``desk.db`` docstring and docs/concurrency.md). Both are importable
from ``desk.db`` too.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# --- errors after which the whole transaction may run again -----------------------------------

# SQLSTATEs after which PostgreSQL has rolled the whole transaction back.
_PG_CONFLICTS = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock wait
_PG_UNIQUE_VIOLATION = "23505"


def transient_kind(exc: BaseException) -> str | None:
    """Why running the failed transaction again could succeed, or None when it couldn't.

    ``"conflict"``: PostgreSQL aborted it (serialization failure, deadlock, lock
    not available). ``"busy"``: SQLite's write lock stayed taken past the busy
    timeout. ``"unique"``: PostgreSQL refused a duplicate key that a concurrent
    transaction inserted after this one checked for it. In every case nothing
    of the failed transaction was committed. A lost connection is never
    transient here: whether its COMMIT landed is unknown.
    """
    if not isinstance(exc, DBAPIError) or exc.connection_invalidated:
        return None
    orig = exc.orig
    if isinstance(orig, sqlite3.OperationalError):
        message = str(orig)
        locked = "database is locked" in message or "database table is locked" in message
        return "busy" if locked else None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _PG_CONFLICTS:
        return "conflict"
    if sqlstate == _PG_UNIQUE_VIOLATION:
        return "unique"
    return None


def lock_for_transaction(session: Session, name: str) -> None:
    """Serialize transactions that take the same ``name`` lock, until commit or rollback.

    PostgreSQL: a transaction-level advisory lock. SQLite: nothing to do, every
    write transaction already holds the database's single write lock.
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
