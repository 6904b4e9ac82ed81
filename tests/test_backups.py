"""desk/services/records/backups.py: daily and manual backups, checks, a round trip."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from desk.db import Database, current_revision, head_revision
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.records import backups
from desk.services.records.backup_files import write_checksum
from desk.services.records.backups import BackupError, BackupRefused
from tests.actors import SYSTEM
from tests.services.factories import at_local

pytestmark = pytest.mark.sqlite_only

DATA = Path(__file__).parent / "data"


def every_row(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (the search index's tables too), in a stable order."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
        return {
            table: sorted(
                conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=lambda r: repr(r)
            )
            for table in tables
        }
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(services: Services, members: int = 30) -> None:
    """A small gym with something in every ledger table."""
    pt = services.appointment_types.create(
        name="Personal training", duration_minutes=60, actor=SYSTEM
    ).value
    coach = services.staff.create(name="Kim", actor=SYSTEM).value
    for i in range(members):
        member = services.members.create(
            first_name="Member", last_name=f"Number{i}", email=f"m{i}@example.com", actor=SYSTEM
        ).value
        services.credits.add_credits(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(pt.id),
            quantity=2 + i % 3,
            expires_on=None,
            actor=SYSTEM,
        )
        if i % 2 == 0:
            appt = services.booking.book(
                member_id=MemberId(member.id),
                appointment_type_id=AppointmentTypeId(pt.id),
                staff_id=StaffId(coach.id),
                starts_at=at_local(2026, 4, 1, 6) + timedelta(hours=i),
                actor=SYSTEM,
            ).value
            if i % 4 == 0:
                services.booking.cancel(appt.id, actor=SYSTEM)


@pytest.fixture
def path(database: Database) -> Path:
    assert database.sqlite_path is not None
    return database.sqlite_path


def test_a_backup_comes_back_identical(
    services: Services, database: Database, path: Path, clock: FixedClock
) -> None:
    fill(services)
    saved = every_row(path)
    backup = backups.backup_now(database)
    assert backup.parent == path.parent / "backups"
    assert every_row(backup) == saved

    # The desk goes on working after the backup...
    more = services.members.create(first_name="Late", last_name="Arrival", actor=SYSTEM).value
    services.credits.adjust(
        member_id=MemberId(1),
        appointment_type_id=AppointmentTypeId(1),
        delta=-1,
        reason="oops",
        actor=SYSTEM,
    )
    changed = every_row(path)
    assert changed != saved

    # ...then the backup is restored: every row of every table as it was.
    result = backups.restore(database, backup)
    assert result.restored_from == backup
    assert result.kept_aside is not None
    assert result.kept_aside.name.startswith("desk.sqlite3.before-restore-")
    assert every_row(path) == saved
    assert every_row(result.kept_aside) == changed  # nothing lost: the old file is aside

    # The same Database object works on, search index and ledger included.
    again = Services.build(database, clock)
    assert again.members.search("Late Arrival") == []
    assert more.id not in [m.id for m in again.members.search("arrival")]
    assert [m.full_name for m in again.members.search("number17")] == ["Member Number17"]
    assert again.credits.verify_ledger() == []
    assert again.members.count() == 30
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_a_damaged_backup_is_refused_and_the_database_left_alone(
    services: Services, database: Database, path: Path
) -> None:
    fill(services, members=200)
    backup = backups.backup_now(database)
    damaged = backup.with_name("damaged.sqlite3")
    data = bytearray(backup.read_bytes())
    page = 4096
    for n in range(2, len(data) // page, 3):  # scribble over every third page after the first
        data[n * page + 8 : n * page + 400] = b"\xa5" * 392
    damaged.write_bytes(bytes(data))
    database.dispose()
    before = sha256(path)

    with pytest.raises(BackupRefused, match="damaged") as error:
        backups.restore(database, damaged)
    assert "damaged.sqlite3" in error.value.message
    assert sha256(path) == before
    assert not list(path.parent.glob("*.before-restore-*"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("name,email\nAnn,ann@example.com\n" * 200), "isn't a SQLite"),
        (lambda p: p.write_bytes(b""), "no Desk members or ledger"),
        (
            lambda p: sqlite3.connect(p).executescript(
                "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);"
                "INSERT INTO recipes (name) VALUES ('bread');"
            ),
            "no Desk members or ledger",
        ),
    ],
    ids=["csv", "empty", "another-app"],
)
def test_a_foreign_file_is_refused(database: Database, tmp_path: Path, make, message) -> None:
    foreign = tmp_path / "foreign.sqlite3"
    make(foreign)
    with pytest.raises(BackupRefused, match=message) as error:
        backups.check_backup(foreign)
    assert "not a Desk backup" in error.value.message
    with pytest.raises(BackupRefused):
        backups.restore(database, foreign)


def test_a_backup_from_a_newer_desk_is_refused(database: Database, tmp_path: Path) -> None:
    backup = backups.backup_now(database, tmp_path / "newer.sqlite3")
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    write_checksum(backup)  # as the newer Desk would have
    with pytest.raises(BackupRefused, match="newer version of Desk") as error:
        backups.restore(database, backup)
    assert "9999" in error.value.message
    assert current_revision(database) == head_revision()


def test_a_missing_file_is_refused(database: Database, tmp_path: Path) -> None:
    with pytest.raises(BackupRefused, match="There is no file"):
        backups.restore(database, tmp_path / "nowhere.sqlite3")


def test_an_older_backup_is_restored_and_upgraded(database: Database, path: Path) -> None:
    [saved] = DATA.glob("schema_0001.sqlite3")
    result = backups.restore(database, saved)
    assert result.schema_before_upgrade == "0001"
    assert current_revision(database) == head_revision()
    services = Services.build(database)
    assert services.members.count() == 40
    assert services.credits.verify_ledger() == []


def test_restore_onto_a_new_machine_and_over_a_damaged_file(
    services: Services, database: Database, tmp_path: Path
) -> None:
    fill(services, members=5)
    backup = backups.backup_now(database, tmp_path / "carried.sqlite3")

    fresh = tmp_path / "new-machine" / "desk.sqlite3"
    fresh.parent.mkdir()
    db = Database(f"sqlite:///{fresh}")
    try:
        result = backups.restore(db, backup)
        assert result.kept_aside is None
        assert Services.build(db).members.count() == 5
    finally:
        db.dispose()

    # Over a file too damaged to open: it is moved aside as it is.
    fresh.write_bytes(b"garbage" * 1000)
    db = Database(f"sqlite:///{fresh}")
    try:
        result = backups.restore(db, backup)
        assert result.kept_aside is not None
        assert result.kept_aside.read_bytes() == b"garbage" * 1000
        assert Services.build(db).members.count() == 5
    finally:
        db.dispose()


def test_the_database_itself_is_not_a_backup(database: Database, path: Path) -> None:
    with pytest.raises(BackupRefused, match="the database itself"):
        backups.restore(database, path)
    with pytest.raises(BackupError, match="over the database itself"):
        backups.backup_now(database, path, overwrite=True)


def test_backups_made_within_one_second_get_their_own_names(database: Database) -> None:
    made = [backups.backup_now(database) for _ in range(3)]
    assert len(set(made)) == 3
    assert all(p.exists() for p in made)


def test_a_named_backup_is_not_written_over(database: Database, tmp_path: Path) -> None:
    target = tmp_path / "mine.sqlite3"
    backups.backup_now(database, target)
    with pytest.raises(BackupError, match="already exists"):
        backups.backup_now(database, target)
    backups.backup_now(database, target, overwrite=True)
    assert not list(tmp_path.glob("*.partial"))


def test_one_daily_backup_a_day_and_the_last_14_kept(database: Database, path: Path) -> None:
    first = backups.daily_backup(database, on=date(2026, 3, 1))
    assert first == path.parent / "backups" / "desk-daily-2026-03-01.sqlite3"
    assert backups.daily_backup(database, on=date(2026, 3, 1)) is None  # already made today
    for day in range(2, 21):
        assert backups.daily_backup(database, on=date(2026, 3, day)) is not None
    kept = sorted(p.name for p in (path.parent / "backups").glob("desk-daily-*"))
    assert kept == sorted(  # the pruned ones' checksum files went with them
        f"desk-daily-2026-03-{day:02d}.sqlite3{end}"
        for day in range(7, 21)
        for end in ("", ".sha256")
    )
    # Manual and pre-migration backups are never pruned with the daily ones.
    manual = backups.backup_now(database)
    backups.daily_backup(database, on=date(2026, 3, 21))
    assert manual.exists()
    listed = backups.list_backups(database)
    assert {b.kind for b in listed} == {"daily", "manual"}
    assert len(listed) == 15
    assert all(b.schema == head_revision() for b in listed)


def test_backups_are_made_through_the_online_api_while_another_desk_writes(
    services: Services, database: Database, path: Path
) -> None:
    fill(services, members=10)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE members SET notes = 'uncommitted'")
        backup = backups.backup_now(database)  # a write transaction is open elsewhere
    finally:
        other.execute("ROLLBACK")
        other.close()
    rows = every_row(backup)
    assert all("uncommitted" not in repr(row) for row in rows["members"])
    assert backups.check_backup(backup).schema == head_revision()


@pytest.mark.postgresql_only
def test_a_server_database_is_backed_up_with_the_servers_tools(database: Database) -> None:
    with pytest.raises(BackupError, match="pg_dump"):
        backups.backup_now(database)
    with pytest.raises(BackupError, match="pg_restore"):
        backups.restore(database, DATA / "schema_0001.sqlite3")
    assert backups.daily_backup(database) is None


def test_copying_a_backup_file_by_hand_is_also_restorable(
    services: Services, database: Database, tmp_path: Path
) -> None:
    """A backup file copied to a USB stick and back is still a backup."""
    fill(services, members=3)
    backup = backups.backup_now(database)
    copied = tmp_path / "usb" / "desk backup.sqlite3"
    copied.parent.mkdir()
    shutil.copy(backup, copied)
    assert backups.check_backup(copied).size_bytes == backup.stat().st_size
    backups.restore(database, copied)
    assert Services.build(database).members.count() == 3


def test_a_watched_backup_reports_its_pages_and_is_still_whole(
    database: Database, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock
) -> None:
    import desk.db as desk_db

    fill(Services.build(database, clock), members=60)
    monkeypatch.setattr(desk_db, "BACKUP_STEP_PAGES", 2)  # several steps even for a small file
    seen: list[tuple[int, int]] = []
    target = backups.backup_now(
        database, tmp_path / "watched.sqlite3", progress=lambda d, t: seen.append((d, t))
    )
    assert len(seen) > 2
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1][0] == seen[-1][1] > 0  # every page copied
    assert every_row(target) == every_row(path)


def test_a_cancelled_backup_leaves_no_file(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock
) -> None:
    import desk.db as desk_db

    fill(Services.build(database, clock), members=60)
    monkeypatch.setattr(desk_db, "BACKUP_STEP_PAGES", 2)
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) >= 2  # after the first step

    target = tmp_path / "cancelled.sqlite3"
    with pytest.raises(backups.BackupCancelled, match="no file was written"):
        backups.backup_now(database, target, cancelled=cancelled)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("cancelled")] == []
