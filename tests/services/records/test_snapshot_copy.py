"""The day's backup and file check as the GUI's background runs them: a stepped copy from
one snapshot while another desk writes, and a quick_check that can be stopped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desk.db import Database
from desk.services.container import Services
from desk.services.records import backups
from desk.services.records.file_check import FileCheck, FileCheckStopped
from tests.services.factories import make_member

pytestmark = pytest.mark.sqlite_only


def rows_in(file: Path, table: str) -> int:
    conn = sqlite3.connect(file)
    try:
        (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    finally:
        conn.close()
    return int(count)


def test_a_watched_copy_is_not_restarted_by_another_desks_writes(
    services: Services, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desk.db as desk_db

    for n in range(60):
        make_member(services, "Early", f"Member{n}")
    monkeypatch.setattr(desk_db, "BACKUP_STEP_PAGES", 2)  # many steps even for a small file
    assert database.sqlite_path is not None
    other = sqlite3.connect(database.sqlite_path, isolation_level=None)
    other.execute("CREATE TABLE scratch (x INTEGER)")
    done: list[int] = []

    def another_desk_writes(copied: int, total: int) -> None:
        done.append(copied)
        if len(done) <= 200:  # a copy that restarts at each write still ends, and fails
            other.execute("INSERT INTO scratch VALUES (?)", (copied,))  # a commit of its own

    try:
        target = backups.backup_now(
            database, tmp_path / "watched.sqlite3", progress=another_desk_writes
        )
    finally:
        other.close()
    assert len(done) > 2
    assert done == sorted(done)  # never back to the first page
    # The snapshot it began with: all of the members, none of the later rows.
    assert (rows_in(target, "members"), rows_in(target, "scratch")) == (60, 0)
    assert rows_in(database.sqlite_path, "scratch") == len(done) < 200
    assert backups.check_backup(target).checksum.value == "verified"


def test_the_file_check_finds_a_sound_file_sound_and_can_be_stopped(database: Database) -> None:
    assert database.sqlite_path is not None
    assert FileCheck(database.sqlite_path).run() == []
    stopped = FileCheck(database.sqlite_path)
    stopped.stop()  # Desk closed before the check began
    with pytest.raises(FileCheckStopped):
        stopped.run()


def test_the_file_check_reports_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"this is not a database, just some text" * 200)
    (problem,) = FileCheck(path).run()
    assert "not a database" in problem
