"""desk/db.py: schema at start-up, SQLite pragmas, write locking, refusing newer files, backups."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

import desk.db as desk_db
from desk.db import (
    Database,
    DatabaseError,
    DatabaseTooNew,
    backup_sqlite,
    current_revision,
    head_revision,
    open_database,
)
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import AppointmentTypeId, MemberId
from tests.actors import SYSTEM


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        names = {row[0] for row in rows}
    conn.close()
    return names


def test_a_fresh_file_gets_the_newest_schema(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "desk.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        assert path.exists()
        assert current_revision(db) == head_revision()
        assert db.sqlite_path == path
        assert db.describe() == str(path)
    finally:
        db.dispose()
    names = table_names(path)
    expected = {
        "alembic_version",
        "members",
        "appointment_types",
        "staff_members",
        "credit_lots",
        "credit_entries",
        "appointments",
        "audit_events",
        "member_search",
        "member_search_insert",
        "member_search_update",
        "member_search_delete",
    }
    assert expected <= names
    # Nothing to back up before the first migration of a new file.
    assert not (tmp_path / "nested" / "backups").exists()


@pytest.mark.sqlite_only
def test_connections_use_wal_foreign_keys_and_full_sync(database: Database) -> None:
    for session_factory in (database.read, database.write):
        with session_factory() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2
            assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(Exception, match=r"(?i)foreign key"), database.write() as session:
        session.execute(
            text(
                "INSERT INTO credit_lots (member_id, appointment_type_id, quantity, remaining,"
                " source, price_cents, currency, created_at, note)"
                " VALUES (999, 999, 1, 1, 'manual', 0, 'USD', '2026-03-04 15:00:00', '')"
            )
        )


@pytest.mark.sqlite_only
def test_a_write_transaction_holds_the_write_lock(database: Database) -> None:
    path = database.sqlite_path
    assert path is not None
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    try:
        with database.write() as session:
            session.execute(text("SELECT count(*) FROM members")).scalar()
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        # Once the write commits, the other desk can write.
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_a_read_transaction_does_not_block_writers(database: Database) -> None:
    path = database.sqlite_path
    assert path is not None
    other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    try:
        with database.read() as session:
            session.execute(text("SELECT count(*) FROM members")).scalar()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_failed_write_is_rolled_back(database: Database, clock: FixedClock) -> None:
    services = Services.build(database, clock)
    services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM)

    def rename_then_fail() -> None:
        with database.write() as session:
            session.execute(text("UPDATE members SET first_name = 'Changed'"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        rename_then_fail()
    assert services.members.search("changed") == []
    assert services.members.count() == 1


@pytest.mark.sqlite_only
def test_a_database_from_a_newer_desk_is_refused_and_untouched(db_url: str, tmp_path: Path) -> None:
    db = open_database(db_url)
    with db.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    path = tmp_path / "desk.sqlite3"
    before = sha256(path)
    files_before = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(DatabaseTooNew, match="newer version of Desk") as error:
        open_database(db_url)
    assert "9999" in str(error.value)
    assert "not changed" in str(error.value)
    assert isinstance(error.value, DatabaseError)

    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before
    assert not (tmp_path / "backups").exists()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]
    conn.close()


@pytest.mark.sqlite_only
def test_reopening_an_up_to_date_file_makes_no_backup(db_url: str, tmp_path: Path) -> None:
    first = open_database(db_url)
    first.dispose()
    second = open_database(db_url)
    try:
        assert current_revision(second) == head_revision()
    finally:
        second.dispose()
    assert not (tmp_path / "backups").exists()


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"this is not a database, just some text" * 200)
    with pytest.raises(DatabaseError, match="Can't open the database") as error:
        open_database(f"sqlite:///{path}")
    assert str(path) in str(error.value)
    assert path.read_bytes() == b"this is not a database, just some text" * 200


def test_not_a_url_is_refused() -> None:
    with pytest.raises(DatabaseError, match="Not a database URL"):
        Database("not a url at all")


@pytest.mark.sqlite_only
def test_backup_copies_every_row_and_passes_integrity_check(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    services = Services.build(database, clock)
    pt = services.appointment_types.create(
        name="Personal training", duration_minutes=60, actor=SYSTEM
    ).value
    for i in range(25):
        member = services.members.create(
            first_name="Member", last_name=f"Number{i}", email=f"m{i}@example.com", actor=SYSTEM
        ).value
        services.credits.add_credits(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(pt.id),
            quantity=1 + i % 3,
            expires_on=None,
            actor=SYSTEM,
        )
    target = tmp_path / "backups" / "copy.sqlite3"
    backup_sqlite(database, target)

    tables = ["members", "credit_lots", "credit_entries", "audit_events", "alembic_version"]
    with database.read() as session:
        expected = {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        copied = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        assert copied == expected
        assert expected["members"] == 25
        # The search index came along too.
        hits = conn.execute(
            "SELECT count(*) FROM member_search WHERE member_search MATCH ?", ['"number1"']
        ).fetchone()[0]
        assert hits == 11  # Number1, Number10..Number19
    finally:
        conn.close()

    # The copy opens as an up-to-date Desk database.
    copy = open_database(f"sqlite:///{target}")
    try:
        assert Services.build(copy, clock).members.count() == 25
        assert Services.build(copy, clock).credits.verify_ledger() == []
    finally:
        copy.dispose()


def test_head_revision_constant_matches_alembic() -> None:
    """Start-up compares the file with HEAD_REVISION instead of asking Alembic."""
    assert head_revision() == desk_db.HEAD_REVISION


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    """Alembic (with Mako and Pygments) costs ~120 ms to import; an up-to-date start skips it."""
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    open_database(url).dispose()  # create and migrate, in this process
    script = (
        "import sys\n"
        "from desk.db import open_database\n"
        f"open_database({url!r}).dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
