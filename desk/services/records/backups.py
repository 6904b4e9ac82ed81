"""Backups of the SQLite database: daily at start-up, before every migration, on demand; restore.

Every copy goes through SQLite's online backup API (one consistent snapshot
while other desks go on working), never a file copy of a live database. The
copies live in a ``backups`` folder beside the database file: for the default
database that is ``platformdirs.user_data_dir("Desk")/backups``. Names start
with the database file's stem, so two databases in one folder keep apart:

- ``desk-daily-2026-03-04.sqlite3``: the first start of each day (the last 14 are kept);
- ``desk-before-0003-20260304T150000Z.sqlite3``: made by ``desk.db.migrate`` before an upgrade;
- ``desk-20260304-150000.sqlite3``: ``desk backup`` or File > Back up.

Every backup made here gets its SHA-256 checksum beside it, ``<backup>.sha256``
(see ``backup_files``). A restore checks the file first (as long as its header
says, the same bytes as its checksum when it has one, a SQLite database that
passes ``integrity_check``, with Desk's tables and a schema this Desk knows),
keeps the current file aside as ``desk.sqlite3.before-restore-<time>``, copies
the backup in and upgrades it if it is older.

PostgreSQL databases are backed up with the server's own tools (``pg_dump``);
these functions say so instead of pretending.

The GUI calls these through ``services.backups``, off the GUI thread: the day's
backup after the window shows, File > Back up and Restore on a worker. For the
100,000 member demo gym (a 520 MB file) a backup takes about 0.7 s and a restore
about 13 s (``integrity_check`` of the backup is most of it), each plus one read
of the file for its checksum.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from desk.db import (
    Database,
    DatabaseError,
    backup_sqlite,
    backups_folder,
    head_revision,
    known_revisions,
    migrate,
)
from desk.services.core.errors import DeskError
from desk.services.core.progress import Cancelled, Progress
from desk.services.records.backup_files import (
    CHECKSUM_SUFFIX,
    Checksum,
    checksum_path,
    checksum_problem,
    copy_in,
    file_sha256,
    header_problem,
    open_to_check,
    publish,
    set_aside,
    write_checksum,
)
from desk.services.records.backup_types import BackupCancelled as BackupCancelled
from desk.services.records.backup_types import BackupError as BackupError
from desk.services.records.backup_types import BackupExists as BackupExists
from desk.services.records.backup_types import BackupInfo as BackupInfo
from desk.services.records.backup_types import BackupRefused as BackupRefused
from desk.services.records.backup_types import RestoreResult as RestoreResult
from desk.services.records.snapshot_copy import copy_snapshot

log = logging.getLogger(__name__)

KEEP_DAILY = 14
# Tables a Desk database has had since its first schema.
_DESK_TABLES = frozenset({"members", "credit_lots", "credit_entries", "appointments"})


def _live_path(db: Database, *, restoring: bool = False) -> Path:
    path = db.sqlite_path
    if path is None:
        if db.is_sqlite:
            raise BackupError("An in-memory database has no file to back up or restore.")
        how = (
            "restore it with the server's tools (pg_restore or psql)"
            if restoring
            else "back it up with the server's tools (pg_dump)"
        )
        raise BackupError(f"{db.describe()} is a database server: {how}, not from a desk.")
    return path


def _stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")


def backup_now(
    db: Database,
    target: Path | None = None,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Path:
    """Copy the live database to ``target`` (default: a new file in the backups folder).

    Returns the backup's path; its checksum is beside it, ``<path>.sha256``.
    ``progress(pages done, pages in all)`` follows the copy, and ``cancelled()``
    is checked as often. Raises BackupError for a server or in-memory database,
    a ``target`` that is the database itself, or when the copy can't be written;
    BackupExists when ``target`` exists (unless ``overwrite``); BackupCancelled
    when cancelled (no file is left behind).
    """
    path = _live_path(db)
    named = target is not None
    target = _free_name(path) if target is None else target.expanduser()
    if target.exists() and target.resolve() == path.resolve():
        raise BackupError("A backup can't be written over the database itself.")
    if target.exists() and not overwrite:
        raise BackupExists(f"{target} already exists; choose another name.")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give a file name.")
    step = None
    if progress is not None or cancelled is not None:

        def step(done: int, total: int) -> None:
            _stop_if(cancelled)
            if progress is not None:
                progress(done, total)

    while True:
        try:
            _make(db, target, step, replace=overwrite, cancelled=cancelled)
            break
        except FileExistsError:
            if named:
                raise BackupExists(f"{target} already exists; choose another name.") from None
            target = _free_name(path)  # another desk took the name in the same second
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(f"Could not write the backup {target}: {exc}") from exc
    log.info("Backed up %s to %s", path, target)
    return target


def _free_name(path: Path) -> Path:
    stamp = _stamp()
    target = backups_folder(path) / f"{path.stem}-{stamp}{path.suffix}"
    n = 1
    while target.exists():  # two backups within one second
        n += 1
        target = backups_folder(path) / f"{path.stem}-{stamp}-{n}{path.suffix}"
    return target


def _stop_if(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise BackupCancelled("Backup cancelled: no file was written.")


def _make(
    db: Database, target: Path, step: Progress | None, *, replace: bool, cancelled: Cancelled | None
) -> None:
    """Copy the database to ``target``, then write its checksum beside it.

    The copy is made under a name of its own and hashed before it becomes
    ``target``, so the checksum is of this copy even when another desk writes the
    same name at the same moment. A watched copy (``step``) goes a step at a time
    from one snapshot (``copy_snapshot``). Raises FileExistsError when ``target`` exists
    and ``replace`` is false; OSError or sqlite3.Error when writing fails (then no
    backup is left at ``target``).
    """
    made = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.new")
    try:
        if step is None:
            backup_sqlite(db, made)  # one step: one snapshot already
        else:
            copy_snapshot(db, made, step)
        digest = file_sha256(made, lambda: _stop_if(cancelled))
        publish(made, target, replace=replace)
    finally:
        made.unlink(missing_ok=True)
    try:
        write_checksum(target, digest)
    except OSError:
        # A backup that can't be verified later is a failed backup: say so, keep nothing.
        target.unlink(missing_ok=True)
        raise


def daily_backup(
    db: Database,
    *,
    on: date | None = None,
    keep: int = KEEP_DAILY,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Path | None:
    """Make today's backup unless it exists, and keep only the newest ``keep`` daily ones.

    Called at every start (CLI; the GUI in the background after its window shows,
    with ``progress`` and ``cancelled`` as for ``backup_now``). Returns the new
    backup's path, or None when today's exists or the database is not a SQLite
    file. Raises BackupError when the copy can't be written (the caller warns,
    never stops), BackupCancelled when cancelled (no file is left behind).
    """
    path = db.sqlite_path
    if path is None or not path.exists():
        return None
    day = on or datetime.now().astimezone().date()
    folder = backups_folder(path)
    target = folder / f"{path.stem}-daily-{day.isoformat()}{path.suffix}"
    made: Path | None = None
    if not target.exists():
        # Another desk starting at the same moment may make it first: theirs is kept.
        with contextlib.suppress(BackupExists):
            made = backup_now(db, target, progress=progress, cancelled=cancelled)
    pattern = f"{path.stem}-daily-????-??-??{path.suffix}"
    dailies = sorted(folder.glob(pattern), reverse=True)
    for old in dailies[keep:]:
        old.unlink(missing_ok=True)
        checksum_path(old).unlink(missing_ok=True)
        log.info("Removed the old daily backup %s", old)
    for sidecar in folder.glob(pattern + CHECKSUM_SUFFIX):
        if not sidecar.with_name(sidecar.name.removesuffix(CHECKSUM_SUFFIX)).exists():
            sidecar.unlink(missing_ok=True)  # its backup was deleted by hand
    # A copy cut short when Desk was killed (never named as a backup); a day old, so it
    # isn't one another desk is writing now.
    for partial in folder.glob(f".{pattern}.*.new"):
        with contextlib.suppress(OSError):
            if partial.stat().st_mtime < time.time() - 86_400:
                partial.unlink()
    return made


def start_up_backup(db: Database) -> Path | None:
    """``daily_backup`` as every start (CLI and GUI) calls it: a failure is logged as a
    warning and never stops the start. Returns the new backup's path, if one was made."""
    try:
        made = daily_backup(db)
    except DeskError as exc:
        log.warning("The daily backup failed: %s", exc.message)
        return None
    if made is not None:
        log.info("Daily backup: %s", made)
    return made


def _kind(path: Path, stem: str) -> str:
    middle = path.name[len(stem) + 1 :]
    if middle.startswith("daily-"):
        return "daily"
    if middle.startswith("before-"):
        return "before-migration"
    if middle[:1].isdigit():
        return "manual"
    return "other"


def list_backups(db: Database) -> list[BackupInfo]:
    """The backups in the database's backups folder, newest first (files that aren't
    Desk backups are left out; a damaged one shows up and ``restore`` refuses it).
    Raises BackupError for a server database."""
    path = _live_path(db)
    found: list[BackupInfo] = []
    for candidate in backups_folder(path).glob(f"{path.stem}-*{path.suffix}"):
        try:
            info = check_backup(candidate, integrity=False)  # restore checks it whole
        except BackupRefused:
            continue
        found.append(
            BackupInfo(
                info.path,
                _kind(candidate, path.stem),
                info.created_at,
                info.size_bytes,
                info.schema,
                info.checksum,
            )
        )
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def check_backup(file: Path, *, integrity: bool = True) -> BackupInfo:
    """Whether ``file`` can be restored: a whole SQLite database (as long as its header
    says, the same bytes as its checksum file when it has one) with Desk's tables
    and a schema this Desk knows (the same or older). Reads only; returns what it
    found, ``checksum`` MISSING for a file without a checksum file.

    ``integrity=False`` skips ``PRAGMA integrity_check`` and the checksum (seconds
    for a file of hundreds of MB) for a quick listing; ``restore`` always runs
    them. Raises BackupRefused, with the reason in one line, otherwise.
    """
    file = file.expanduser()
    if not file.is_file():
        raise BackupRefused(f"There is no file {file}.")
    try:
        problem = header_problem(file)
        checksum = Checksum.MISSING
        if problem is None:
            checksum, problem = checksum_problem(file, verify=integrity)
    except OSError as exc:
        raise BackupRefused(f"{file} can't be read: {exc.strerror or exc}.") from exc
    if problem:
        raise BackupRefused(problem)
    try:
        conn = open_to_check(file)
    except sqlite3.Error as exc:
        raise BackupRefused(f"{file} can't be opened: {exc}.") from exc
    try:
        try:
            problems = (
                [row[0] for row in conn.execute("PRAGMA integrity_check")] if integrity else ["ok"]
            )
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise BackupRefused(
                    f"{file} is not a Desk backup: it isn't a SQLite database."
                ) from exc
            raise BackupRefused(f"{file} is damaged ({exc}); restore another backup.") from exc
        if problems != ["ok"]:
            # SQLite's report can span lines ("*** in database main ***\nOn tree page...").
            said = "; ".join(" ".join(str(p).split()) for p in problems[:3])
            raise BackupRefused(f"{file} is damaged ({said}); restore another backup.")
        if not _DESK_TABLES.issubset(tables) or "alembic_version" not in tables:
            raise BackupRefused(f"{file} is not a Desk backup: it has no Desk members or ledger.")
        versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()
    if len(versions) != 1:
        raise BackupRefused(f"{file} has no single schema version; it can't be restored.")
    schema = str(versions[0])
    if schema not in known_revisions():
        raise BackupRefused(
            f"{file} was written by a newer version of Desk (schema {schema}; this Desk knows "
            f"up to {head_revision()}). Install the newer Desk to restore it."
        )
    stat = file.stat()
    return BackupInfo(
        path=file,
        kind="other",
        created_at=datetime.fromtimestamp(stat.st_mtime, UTC),
        size_bytes=stat.st_size,
        schema=schema,
        checksum=checksum,
    )


def restore(db: Database, file: Path) -> RestoreResult:
    """Replace the database's contents with the backup ``file``, keeping the current ones aside.

    The file is checked first (``check_backup``; ``checksum`` in the result says
    whether it could be verified by checksum). The current database is
    copied to ``<name>.before-restore-<time>`` beside it (moved there as it is
    if it is too damaged to copy), then the backup is copied in through the
    online backup API and upgraded to this Desk's schema if it is older. The
    ``db`` object stays usable afterwards. Other desks should be closed first:
    they would go on with the old contents in memory. Raises BackupRefused for
    a file that can't be restored, BackupError for a server database or when
    writing fails.
    """
    path = _live_path(db, restoring=True)
    info = check_backup(file)
    if path.exists() and info.path.resolve() == path.resolve():
        raise BackupRefused("That file is the database itself; choose a backup.")
    db.dispose()
    aside: Path | None = None
    try:
        if path.exists():
            aside = path.with_name(f"{path.name}.before-restore-{_stamp()}")
            set_aside(path, aside)
        copy_in(info.path, path)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"Restoring {info.path} into {path} failed: {exc}") from exc
    try:
        migrate(db)
    except DatabaseError as exc:
        raise BackupError(f"The restored database couldn't be brought up to date: {exc}") from exc
    log.info("Restored %s from %s (the previous file is %s)", path, info.path, aside)
    return RestoreResult(
        restored_from=info.path,
        kept_aside=aside,
        schema_before_upgrade=info.schema,
        checksum=info.checksum,
    )


def integrity_problems(db: Database) -> list[str]:
    """SQLite's quick_check of the live file: [] when sound (servers: always [])."""
    from desk.db import integrity_problems as check

    return check(db)
