"""What backups.py raises and returns (kept apart so that module stays one job: making,
checking and restoring the copies). Import them from ``backups`` as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desk.services.core.errors import DeskError
from desk.services.records.backup_files import Checksum


class BackupError(DeskError):
    """A backup could not be made (no SQLite file, a target that exists, a full disk)."""


class BackupExists(BackupError):
    """The backup's file name is taken (and overwriting it wasn't asked for)."""


class BackupCancelled(DeskError):
    """The person cancelled a backup; no file was written."""


class BackupRefused(DeskError):
    """A file can't be restored: missing, damaged, not a Desk database, or from a newer Desk."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, as the restore dialog lists it."""

    path: Path
    kind: str  # "daily", "before-migration", "manual" or "other"
    created_at: datetime  # the file's modification time (UTC)
    size_bytes: int
    schema: str  # the Alembic revision inside
    checksum: Checksum  # MISSING: it could not be verified by checksum


@dataclass(frozen=True)
class RestoreResult:
    """What ``restore`` did."""

    restored_from: Path
    kept_aside: Path | None  # the database as it was, or None when there was no file
    schema_before_upgrade: str
    checksum: Checksum  # VERIFIED, or MISSING for a backup without a checksum file
