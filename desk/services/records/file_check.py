"""SQLite's quick_check of the live file, on a connection of its own that can be stopped.

The check reads every page: 5 s of CPU at 100,000 members, about 40 s at 1,000,000.
The GUI runs it in the background at most once a day (``ui/shell/daily_housekeeping``)
and stops it when Desk closes; ``desk check`` runs ``backups.integrity_problems`` in the
foreground instead.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from desk.db import BUSY_TIMEOUT_MS
from desk.services.core.errors import DeskError


class FileCheckStopped(DeskError):
    """The check was stopped before it finished: nothing is known about the file."""


class FileCheck:
    """One quick_check of a SQLite file: ``run`` in any thread, ``stop`` from another."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()  # the connection, between run and stop
        self._conn: sqlite3.Connection | None = None
        self._stopped = False

    def run(self) -> list[str]:
        """Check the file: [] when sound, otherwise what SQLite found (the file that can't
        be read at all is one problem). Raises FileCheckStopped when ``stop`` was called."""
        try:
            conn = sqlite3.connect(
                self._path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            return [f"it can't be opened: {exc}"]
        try:
            with self._lock:
                if self._stopped:
                    raise FileCheckStopped("The file check was stopped.")
                self._conn = conn
            # Read-write but writing nothing: SQLite checks CHECK constraints only then
            # (see backup_files.open_to_check), as the engine's own connections do.
            conn.execute("PRAGMA query_only = 1")
            found = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
        except sqlite3.OperationalError as exc:
            if self._stopped:  # interrupted by stop()
                raise FileCheckStopped("The file check was stopped.") from exc
            return [f"the check could not run: {exc}"]
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"
            return [str(exc)]
        finally:
            with self._lock:
                self._conn = None
            conn.close()
        return [] if found == ["ok"] else found

    def stop(self) -> None:
        """Stop the check at once (from any thread); ``run`` then raises FileCheckStopped."""
        with self._lock:
            self._stopped = True
            if self._conn is not None:
                self._conn.interrupt()
