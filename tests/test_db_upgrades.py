"""desk/db.py: upgrading an older database at start-up, on SQLite and on a server."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

import desk.db as desk_db
from desk.db import (
    Database,
    DatabaseError,
    DatabaseTooNew,
    current_revision,
    head_revision,
    open_database,
)
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from tests.actors import SYSTEM

# --- upgrades, with a newer revision written for the test -------------------------------------

_NEXT_REVISION = '''"""a test-only revision on top of the real head"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_marker", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("INSERT INTO upgrade_marker (id) VALUES (1)")
    op.execute("UPDATE members SET notes = 'upgraded'")
    {fail}


def downgrade() -> None:
    op.drop_table("upgrade_marker")
'''


def _migrations_with_next_revision(tmp_path: Path, *, fail: bool) -> Path:
    """A copy of Desk's migrations plus one newer revision (that may fail halfway)."""
    source = Path(desk_db.MIGRATIONS_DIR)
    target = tmp_path / "migrations"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "versions" / "9000_test_next.py").write_text(
        _NEXT_REVISION.format(
            revision="9000",
            down_revision=head_revision(),
            fail='raise RuntimeError("disk full")' if fail else "pass",
        )
    )
    return target


def _use_next_revision(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, fail: bool) -> None:
    """This Desk, as if its next version added revision 9000."""
    monkeypatch.setattr(
        desk_db, "MIGRATIONS_DIR", _migrations_with_next_revision(tmp_path, fail=fail)
    )
    monkeypatch.setattr(desk_db, "HEAD_REVISION", "9000")


def _seed(db_url: str, clock: FixedClock) -> None:
    db = open_database(db_url)
    try:
        services = Services.build(db, clock)
        for i in range(5):
            services.members.create(
                first_name="Member", last_name=f"Number{i}", notes="before", actor=SYSTEM
            )
    finally:
        db.dispose()


@pytest.mark.sqlite_only
def test_an_older_file_is_backed_up_then_upgraded(
    db_url: str, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(db_url, clock)
    old_head = head_revision()
    _use_next_revision(monkeypatch, tmp_path, fail=False)
    assert head_revision() == "9000"

    db = open_database(db_url)
    try:
        assert current_revision(db) == "9000"
        with db.read() as session:
            assert session.execute(text("SELECT count(*) FROM upgrade_marker")).scalar() == 1
            notes = session.execute(text("SELECT DISTINCT notes FROM members")).scalars().all()
            assert notes == ["upgraded"]
    finally:
        db.dispose()

    # The backup is in the backups folder beside the file (user_data_dir/backups for
    # the default database), named after the file and the schema it was made for.
    [backup] = (tmp_path / "backups").glob("desk-before-9000-*.sqlite3")
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(old_head,)]
        assert conn.execute("SELECT DISTINCT notes FROM members").fetchall() == [("before",)]
        assert conn.execute("SELECT count(*) FROM members").fetchone() == (5,)
    finally:
        conn.close()

    # A second start finds nothing to do and makes no second backup.
    open_database(db_url).dispose()
    assert len(list((tmp_path / "backups").iterdir())) == 1


@pytest.mark.sqlite_only
def test_a_failed_upgrade_leaves_the_data_as_it_was(
    db_url: str, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(db_url, clock)
    old_head = head_revision()
    _use_next_revision(monkeypatch, tmp_path, fail=True)

    with pytest.raises(DatabaseError, match="disk full") as error:
        open_database(db_url)
    assert "restored" in str(error.value)

    monkeypatch.undo()
    db = open_database(db_url)
    try:
        assert current_revision(db) == old_head
        with db.read() as session:
            tables = session.execute(
                text("SELECT name FROM sqlite_master WHERE name = 'upgrade_marker'")
            ).all()
            assert tables == []
            notes = session.execute(text("SELECT DISTINCT notes FROM members")).scalars().all()
            assert notes == ["before"]
        assert Services.build(db, clock).members.count() == 5
        assert [m.full_name for m in Services.build(db, clock).members.search("number3")] == [
            "Member Number3"
        ]
    finally:
        db.dispose()


# --- PostgreSQL: the same start-up rules on a server ------------------------------------------


@pytest.mark.postgresql_only
def test_a_server_database_from_a_newer_desk_is_refused(db_url: str) -> None:
    db = open_database(db_url)
    with db.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(DatabaseTooNew, match="newer version of Desk"):
        open_database(db_url)
    check = Database(db_url)
    try:
        assert current_revision(check) == "9999"
    finally:
        check.dispose()


@pytest.mark.postgresql_only
def test_a_failed_upgrade_on_a_server_changes_nothing(
    db_url: str, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's DDL is transactional: the failed upgrade rolls back whole, no backup needed."""
    _seed(db_url, clock)
    old_head = head_revision()
    _use_next_revision(monkeypatch, tmp_path, fail=True)
    with pytest.raises(DatabaseError, match="disk full"):
        open_database(db_url)
    monkeypatch.undo()
    db = open_database(db_url)
    try:
        assert current_revision(db) == old_head
        with db.read() as session:
            assert session.execute(text("SELECT to_regclass('upgrade_marker')")).scalar() is None
            notes = session.execute(text("SELECT DISTINCT notes FROM members")).scalars().all()
            assert notes == ["before"]
    finally:
        db.dispose()


@pytest.mark.postgresql_only
def test_desks_starting_at_once_on_a_new_server_database_migrate_it_once(db_url: str) -> None:
    opened: list[Database] = []
    failures: list[BaseException] = []
    start = threading.Barrier(4)

    def start_desk() -> None:
        start.wait(timeout=10)
        try:
            opened.append(open_database(db_url))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start_desk) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert failures == []
        assert [current_revision(db) for db in opened] == [head_revision()] * 4
    finally:
        for db in opened:
            db.dispose()
