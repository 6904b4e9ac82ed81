"""The checksum file beside every backup, and the header's page count (backup_files)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import struct
import subprocess
from datetime import date
from pathlib import Path

import pytest

from desk.db import Database
from desk.services.container import Services
from desk.services.records import backup_files, backups
from desk.services.records.backup_files import Checksum, checksum_path, header_problem
from desk.services.records.backups import BackupError, BackupRefused
from tests.services.factories import make_member

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def live(database: Database) -> Path:
    assert database.sqlite_path is not None
    return database.sqlite_path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".new", ".partial")))


def test_a_backup_gets_a_sha256sum_line_beside_it(services: Services, tmp_path: Path) -> None:
    make_member(services)
    backup = backups.backup_now(services.db, tmp_path / "b.sqlite3")
    sidecar = tmp_path / "b.sqlite3.sha256"
    assert checksum_path(backup) == sidecar
    assert sidecar.read_text() == f"{sha256(backup)}  b.sqlite3\n"
    assert backups.check_backup(backup).checksum is Checksum.VERIFIED
    assert leftovers(tmp_path) == []
    if shutil.which("sha256sum"):  # the same file checks with the standard tool
        done = subprocess.run(["sha256sum", "-c", sidecar.name], cwd=tmp_path, check=False)
        assert done.returncode == 0


def test_a_backup_without_its_checksum_is_restored_but_said_unverified(
    services: Services, database: Database, tmp_path: Path
) -> None:
    make_member(services, "Only", "Copy")
    backup = backups.backup_now(database, tmp_path / "by-hand.sqlite3")
    checksum_path(backup).unlink()
    assert backups.check_backup(backup).checksum is Checksum.MISSING
    result = backups.restore(database, backup)
    assert result.checksum is Checksum.MISSING
    assert "could not be verified by checksum" in backup_files.describe(result.checksum)
    assert Services.build(database).members.count() == 1


def test_a_backup_changed_after_it_was_made_is_refused_by_name(
    services: Services, database: Database, live: Path, tmp_path: Path
) -> None:
    make_member(services, "Ann", "Original")
    backup = backups.backup_now(database, tmp_path / "changed.sqlite3")
    # A change SQLite finds nothing wrong with: only the checksum can tell.
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE members SET last_name = 'Altered'")
    conn.close()
    database.dispose()
    before = sha256(live)
    for check in (backups.check_backup, lambda f: backups.restore(database, f)):
        with pytest.raises(BackupRefused, match="doesn't match its checksum") as error:
            check(backup)
        assert str(backup) in error.value.message
        assert "changed.sqlite3.sha256" in error.value.message
        assert "\n" not in error.value.message
    assert sha256(live) == before
    assert not list(live.parent.glob("*.before-restore-*"))


@pytest.mark.parametrize("text", ["", "not a checksum\n", "abc123  b.sqlite3\n"])
def test_a_damaged_checksum_file_is_refused(database: Database, tmp_path: Path, text: str) -> None:
    backup = backups.backup_now(database, tmp_path / "b.sqlite3")
    checksum_path(backup).write_text(text)
    with pytest.raises(BackupRefused, match=r"checksum file b\.sqlite3\.sha256 is damaged"):
        backups.check_backup(backup)


def test_overwriting_a_backup_writes_its_new_checksum(
    services: Services, database: Database, tmp_path: Path
) -> None:
    target = tmp_path / "mine.sqlite3"
    backups.backup_now(database, target)
    first = checksum_path(target).read_text()
    make_member(services, "New", "Member")
    backups.backup_now(database, target, overwrite=True)
    assert checksum_path(target).read_text() != first
    assert backups.check_backup(target).checksum is Checksum.VERIFIED


def test_the_listing_says_which_backups_have_no_checksum(database: Database) -> None:
    with_checksum = backups.backup_now(database)
    without = backups.backup_now(database)
    checksum_path(without).unlink()
    listed = {b.path: b.checksum for b in backups.list_backups(database)}
    assert listed == {with_checksum: Checksum.NOT_CHECKED, without: Checksum.MISSING}


def test_pruning_leaves_no_checksum_without_its_backup(database: Database, live: Path) -> None:
    folder = live.parent / "backups"
    for day in range(1, 4):
        backups.daily_backup(database, on=date(2026, 3, day), keep=2)
    (folder / "desk-daily-2026-03-02.sqlite3").unlink()  # deleted by hand
    backups.daily_backup(database, on=date(2026, 3, 4), keep=2)
    assert sorted(p.name for p in folder.iterdir()) == [
        "desk-daily-2026-03-03.sqlite3",
        "desk-daily-2026-03-03.sqlite3.sha256",
        "desk-daily-2026-03-04.sqlite3",
        "desk-daily-2026-03-04.sqlite3.sha256",
    ]


def test_a_daily_backup_another_desk_makes_meanwhile_is_kept_with_its_checksum(
    services: Services, database: Database, live: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two desks start at once: the second one's copy is dropped, not published over the
    first one's (which would leave the first one's checksum beside the second's file)."""
    real = backups.backup_sqlite
    target = live.parent / "backups" / "desk-daily-2026-03-01.sqlite3"
    calls: list[Path] = []

    def copy_while_another_desk_starts(db: Database, into: Path, step: object = None) -> None:
        calls.append(into)
        real(db, into)
        if len(calls) == 1:
            make_member(services, "Between", "Copies")  # the other desk's copy differs
            assert backups.daily_backup(database, on=date(2026, 3, 1)) == target

    monkeypatch.setattr(backups, "backup_sqlite", copy_while_another_desk_starts)
    assert backups.daily_backup(database, on=date(2026, 3, 1)) is None  # theirs was first
    assert len(calls) == 2
    assert backups.check_backup(target).checksum is Checksum.VERIFIED
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM members").fetchone() == (1,)
    conn.close()
    assert leftovers(target.parent) == []


def test_a_checksum_that_cant_be_written_leaves_no_backup(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(file: Path, digest: str | None = None) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "write_checksum", full_disk)
    target = tmp_path / "usb" / "full.sqlite3"
    with pytest.raises(BackupError, match="No space left on device"):
        backups.backup_now(database, target)
    assert list(target.parent.iterdir()) == []


def _header(file: Path, offset: int, value: int) -> None:
    data = bytearray(file.read_bytes())
    struct.pack_into(">I", data, offset, value)
    file.write_bytes(bytes(data))


def test_the_header_gives_the_length(database: Database, tmp_path: Path) -> None:
    backup = backups.backup_now(database, tmp_path / "b.sqlite3")
    assert header_problem(backup) is None
    longer = tmp_path / "longer.sqlite3"
    longer.write_bytes(backup.read_bytes() + b"\x00")
    assert "but its header says" in (header_problem(longer) or "")

    # The page count is trusted only when "version-valid-for" equals the change counter.
    stale = tmp_path / "stale.sqlite3"
    shutil.copy(backup, stale)
    (counter,) = struct.unpack_from(">I", stale.read_bytes(), 24)
    _header(stale, 92, counter + 1)
    with pytest.raises(BackupRefused, match="doesn't say how many pages"):
        backups.check_backup(stale)


def test_a_page_size_of_65536_is_written_as_1(tmp_path: Path) -> None:
    big = tmp_path / "big.sqlite3"
    conn = sqlite3.connect(big)
    conn.execute("PRAGMA page_size = 65536")
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    conn.commit()
    conn.close()
    data = big.read_bytes()
    assert struct.unpack_from(">H", data, 16) == (1,)
    assert header_problem(big) is None
    big.write_bytes(data[:-1])
    assert "pages of 65,536 bytes" in (header_problem(big) or "")
