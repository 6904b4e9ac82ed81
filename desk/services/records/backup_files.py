"""What a backup file must be before Desk trusts it: as long as its header says, and
unchanged since Desk wrote it (a SHA-256 checksum beside it).

``PRAGMA integrity_check`` only sees damage to SQLite's own structure: a copy cut
short by a byte reads the missing byte as a zero, and a flipped byte inside a
row is a valid (but different) row. So a backup is checked twice more:

- its length must be ``page count * page size`` from its header (read directly,
  not through SQLite, which would quietly pad a short last page);
- every backup Desk makes gets ``<backup>.sha256`` beside it, in the format of
  ``sha256sum`` (so ``sha256sum -c`` checks it too). It is written after the
  backup is in place, under a temporary name renamed over the final one, so a
  checksum file is either whole or absent. Any change to the backup, even one
  byte, no longer matches it.

A backup without a checksum file (made by an older Desk, before a migration, or
copied by hand without it) can still be restored after the other checks; Desk
says it could not be verified by checksum.

The file moves of making and restoring a backup live here too (``publish``,
``set_aside``, ``copy_in``); ``backups`` decides when they happen.
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
import sqlite3
import struct
import uuid
from collections.abc import Callable
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
CHECKSUM_SUFFIX = ".sha256"
_HEADER_BYTES = 100
_READ_CHUNK = 1024 * 1024
_SHA256SUM_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


class Checksum(enum.StrEnum):
    """What is known of a backup's checksum file."""

    VERIFIED = "verified"  # the file matches its .sha256
    MISSING = "missing"  # no .sha256 beside it: could not be verified by checksum
    NOT_CHECKED = "not checked"  # a .sha256 is there; a quick listing doesn't read the file


def describe(status: Checksum) -> str:
    """The checksum status in words for the person at the desk."""
    if status is Checksum.VERIFIED:
        return "Its SHA-256 checksum matches."
    if status is Checksum.MISSING:
        return (
            "It has no checksum file beside it (made by an older Desk, before an upgrade or "
            "copied by hand), so it could not be verified by checksum."
        )
    return "Its checksum was not checked yet."


def checksum_path(file: Path) -> Path:
    """The checksum file that goes with the backup ``file``."""
    return file.with_name(file.name + CHECKSUM_SUFFIX)


def file_sha256(file: Path, between: Callable[[], None] | None = None) -> str:
    """The SHA-256 of the file's bytes, as 64 hex digits (reads it in chunks).

    ``between()`` runs before each chunk: an exception it raises stops the reading
    (a closing Desk need not wait for seconds of hashing a large backup).
    """
    digest = hashlib.sha256()
    with file.open("rb") as stream:
        while True:
            if between is not None:
                between()
            chunk = stream.read(_READ_CHUNK)
            if not chunk:
                return digest.hexdigest()
            digest.update(chunk)


def write_checksum(file: Path, digest: str | None = None) -> Path:
    """Write ``<file>.sha256`` for the complete backup ``file``; returns its path.

    ``digest`` is the file's SHA-256 when the caller already computed it. The line
    goes to a temporary file, is synced, then renamed over the checksum file, so a
    reader never finds half a line. Raises OSError when it can't be written.
    """
    target = checksum_path(file)
    line = f"{digest or file_sha256(file)}  {file.name}\n"
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:12]}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as stream:
            stream.write(line)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def checksum_problem(file: Path, *, verify: bool = True) -> tuple[Checksum, str | None]:
    """Compare ``file`` with its checksum file: the status and, when it is refused, why
    (then the status means nothing).

    Without ``verify`` only the checksum file's presence is looked at (a listing
    shouldn't read hundreds of MB per backup).
    """
    sidecar = checksum_path(file)
    try:
        text = sidecar.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return Checksum.MISSING, None
    except OSError as exc:
        return Checksum.MISSING, f"{file}: its checksum file {sidecar.name} can't be read ({exc})."
    if not verify:
        return Checksum.NOT_CHECKED, None
    match = _SHA256SUM_LINE.match(text.splitlines()[0] if text else "")
    if match is None:
        return Checksum.MISSING, (
            f"{file} can't be verified: its checksum file {sidecar.name} is damaged "
            "(no SHA-256 in it); restore another backup."
        )
    if file_sha256(file) != match.group(1).lower():
        return Checksum.MISSING, (
            f"{file} doesn't match its checksum ({sidecar.name}): it was changed or damaged "
            "after Desk made it; restore another backup."
        )
    return Checksum.VERIFIED, None


def header_problem(file: Path) -> str | None:
    """Why ``file`` isn't as long as its SQLite header says (None when it is).

    An empty file is left to the caller (SQLite reads it as an empty database).
    A header whose page count isn't valid (the "version-valid-for" number differs
    from the change counter: SQLite before 3.7.0, or damage) is refused too: the
    file's length could not be checked.
    """
    size = file.stat().st_size
    if size == 0:
        return None
    with file.open("rb") as stream:
        header = stream.read(_HEADER_BYTES)
    if len(header) < _HEADER_BYTES or not header.startswith(SQLITE_MAGIC):
        return f"{file} is not a Desk backup: it isn't a SQLite database."
    (raw_page_size,) = struct.unpack_from(">H", header, 16)
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    change_counter, page_count = struct.unpack_from(">II", header, 24)
    (valid_for,) = struct.unpack_from(">I", header, 92)
    if page_size < 512 or page_size & (page_size - 1):
        return f"{file} is damaged (its header gives a page size of {raw_page_size}); " + _OTHER
    if page_count == 0 or valid_for != change_counter:
        return f"{file} is damaged (its header doesn't say how many pages it has); " + _OTHER
    expected = page_count * page_size
    if size != expected:
        return (
            f"{file} is damaged: it is {size:,} bytes, but its header says {page_count:,} pages "
            f"of {page_size:,} bytes ({expected:,} bytes); " + _OTHER
        )
    return None


_OTHER = "restore another backup."


def publish(made: Path, target: Path, *, replace: bool) -> None:
    """Move the complete copy ``made`` to ``target`` (``made`` is gone afterwards).

    With ``replace`` an existing target and its now stale checksum file are
    replaced. Without it the target is created only if nothing is there, in one
    step (a hard link): when another desk got there first, FileExistsError, and
    its backup and checksum are left alone. Raises OSError otherwise.
    """
    try:
        if replace:
            # The old checksum must never sit beside the new file, even for a moment.
            checksum_path(target).unlink(missing_ok=True)
            os.replace(made, target)
            return
        try:
            os.link(made, target)
        except FileExistsError:
            raise
        except OSError:
            # No hard links here (a FAT USB stick): the check and the rename are two steps.
            if target.exists():
                raise FileExistsError(target) from None
            os.replace(made, target)
    finally:
        made.unlink(missing_ok=True)


def set_aside(path: Path, aside: Path) -> None:
    """Copy the current database to ``aside``; move it there if it can't be read."""
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(aside)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.DatabaseError:
        # Too damaged to read: keep the bytes as they are, with their journal files.
        aside.unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            current = Path(f"{path}{suffix}")
            if current.exists():
                os.replace(current, Path(f"{aside}{suffix}"))


def copy_in(backup: Path, path: Path) -> None:
    """Copy the checked backup into ``path`` through the online backup API."""
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(path)
        try:
            source.backup(dest)
            # The copy takes the backup's journal mode; Desk's connections set WAL again.
            # The source passed integrity_check; a quick check of the copy suffices.
            problems = [row[0] for row in dest.execute("PRAGMA quick_check")]
        finally:
            dest.close()
    finally:
        source.close()
    if problems != ["ok"]:
        raise sqlite3.DatabaseError(f"the restored copy fails its integrity check: {problems[:3]}")


def open_to_check(file: Path) -> sqlite3.Connection:
    """The backup, opened so that ``integrity_check`` sees everything it can.

    SQLite verifies CHECK constraints only on a writable connection (a read-only
    one reported a flipped byte in a credit entry as "ok", and the restore's copy
    then failed its check), so a file we may write to is opened read-write with
    ``query_only`` on: nothing can be written. A read-only file (a write-protected
    stick) is opened read-only, as before.
    """
    uri = file.resolve().as_uri()
    if os.access(file, os.W_OK):
        conn = sqlite3.connect(f"{uri}?mode=rw", uri=True)
        conn.execute("PRAGMA query_only = 1")
        return conn
    return sqlite3.connect(f"{uri}?mode=ro", uri=True)
