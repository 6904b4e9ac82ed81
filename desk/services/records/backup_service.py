"""Backups and restores as services: checked against the acting staff member like
every other write, so the GUI needs no Database of its own (backups.py does the work)."""

from __future__ import annotations

from pathlib import Path

from desk.db import Database
from desk.services.core.actor import Actor
from desk.services.core.permissions import Permission, authorize
from desk.services.core.progress import Cancelled, Progress
from desk.services.records import backups
from desk.services.records.file_check import FileCheck


class BackupService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def describe_database(self) -> str:
        """The database's name for people: its file, or its URL without a password."""
        return self._db.describe()

    def back_up_now(
        self,
        target: Path | None = None,
        *,
        actor: Actor,
        overwrite: bool = False,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Path:
        """Copy the live database now (see backups.backup_now). Raises
        PermissionDenied unless the actor may back up, BackupError, BackupCancelled."""
        self._authorize(actor, Permission.BACKUP)
        return backups.backup_now(
            self._db, target, overwrite=overwrite, progress=progress, cancelled=cancelled
        )

    def restore(self, file: Path, *, actor: Actor) -> backups.RestoreResult:
        """Replace the database with the backup ``file`` (see backups.restore).

        Raises PermissionDenied unless the actor may restore (owners and admins),
        BackupRefused for a file that can't be restored, BackupError.
        """
        self._authorize(actor, Permission.RESTORE)
        return backups.restore(self._db, file)

    def list_backups(self) -> list[backups.BackupInfo]:
        """The backups beside the database, newest first."""
        return backups.list_backups(self._db)

    def integrity_problems(self) -> list[str]:
        """What SQLite's quick check finds wrong with the live file (empty when well).

        Reads every page in the calling thread (``desk check``); the GUI uses
        ``file_check`` instead. Raises SQLAlchemy's DatabaseError when it can't run."""
        return backups.integrity_problems(self._db)

    def file_check(self) -> FileCheck | None:
        """A quick check of the live file that another thread can stop (see FileCheck),
        or None when there is no file to check (a server, an in-memory database)."""
        path = self._db.sqlite_path
        return None if path is None or not path.exists() else FileCheck(path)

    def daily_backup(
        self, *, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> Path | None:
        """Make today's daily backup unless it exists (see backups.daily_backup): start-up
        housekeeping, so no actor is asked. Returns the new backup's path, or None.
        Raises BackupError when it can't be written, BackupCancelled when cancelled."""
        return backups.daily_backup(self._db, progress=progress, cancelled=cancelled)

    def _authorize(self, actor: Actor, permission: Permission) -> None:
        # Not a transaction of its own kind: the copy runs outside any. The role is
        # read just before, so a role taken away a moment earlier counts.
        with self._db.read() as session:
            authorize(session, actor, permission)
