"""A copy of a live SQLite file a step at a time, from one snapshot.

SQLite's online backup API restarts a stepped copy from the first page whenever
another connection writes to the source between two steps. With a desk writing
every few seconds a copy of a large file could restart for ever (a copy of a
1,170,000-row file written between each step of 100 pages did not finish in a
minute). Holding one read transaction on the source across the steps keeps the
copy on the snapshot it began with: in WAL mode other connections go on writing
and the copy is neither restarted nor blocks them. Between steps the caller may
stop the copy, so a closing Desk waits a few milliseconds, not the whole copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import desk.db as desk_db
from desk.db import BUSY_TIMEOUT_MS, Database


def copy_snapshot(db: Database, target: Path, step: Callable[[int, int], None]) -> None:
    """Copy the SQLite file of ``db`` to ``target`` from one snapshot, a step at a time.

    ``step(pages done, pages in all)`` runs after each step of
    ``desk.db.BACKUP_STEP_PAGES`` pages; an exception it raises stops the copy and
    reaches the caller (``target`` is then removed). The copy uses a connection of its
    own, never one of the engine's, so any thread may run it. Raises sqlite3.Error or
    OSError when the copy can't be made (``target`` is removed then too).
    """
    source_path = db.sqlite_path
    assert source_path is not None, "only a SQLite file is copied"
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        source.execute("PRAGMA query_only = 1")
        # The read transaction begins at the first read and lasts until COMMIT.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchall()
        dest = sqlite3.connect(target)
        try:
            source.backup(
                dest,
                pages=desk_db.BACKUP_STEP_PAGES,  # read now: a test may make the steps small
                progress=lambda _status, left, total: step(total - left, total),
            )
        finally:
            dest.close()
        source.execute("COMMIT")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        source.close()
