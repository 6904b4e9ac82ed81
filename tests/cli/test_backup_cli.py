"""`desk backup` and `desk restore`, the daily backup at start-up, and the CLI on PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from desk.cli import main
from desk.db import Database, open_database
from desk.services.container import Services


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def names(url: str) -> list[str]:
    db = open_database(url)
    try:
        return [m.full_name for m in Services.build(db).members.summaries(range(1, 41))]
    finally:
        db.dispose()


@pytest.fixture
def gym(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'gym.sqlite3'}"
    assert main(["demo", "--members", "40", "--seed", "2", "--database", url]) == 0
    capsys.readouterr()
    return url


@pytest.mark.sqlite_only
def test_every_start_makes_the_days_backup_once(gym: str, tmp_path: Path, capsys) -> None:
    today = datetime.now().astimezone().date().isoformat()
    daily = tmp_path / "backups" / f"gym-daily-{today}.sqlite3"
    assert daily.exists()  # `desk demo` was the first start of the day
    made = daily.stat().st_mtime_ns
    assert run(capsys, "check", "--database", gym)[0] == 0
    assert daily.stat().st_mtime_ns == made
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        daily.name,
        f"{daily.name}.sha256",
    ]


@pytest.mark.sqlite_only
def test_backup_then_restore_brings_the_members_back(gym: str, tmp_path: Path, capsys) -> None:
    before = names(gym)
    code, out, err = run(capsys, "backup", "--database", gym)
    assert (code, err) == (0, "")
    backup = Path(out.strip().removeprefix("Backed up ").split(" to ", 1)[1].rstrip("."))
    assert backup.parent == tmp_path / "backups"
    assert backup.exists()

    db = open_database(gym)
    with db.write() as session:
        session.execute(text("UPDATE members SET last_name = 'Changed' WHERE id > 10"))
    db.dispose()
    assert names(gym) != before

    code, out, err = run(capsys, "restore", str(backup), "--database", gym)
    assert (code, err) == (0, "")
    assert "Restored" in out
    assert "kept in" in out
    assert "checksum matches" in out
    assert names(gym) == before
    [aside] = tmp_path.glob("gym.sqlite3.before-restore-*")
    with sqlite3.connect(aside) as conn:
        changed = conn.execute("SELECT count(*) FROM members WHERE last_name = 'Changed'")
        assert changed.fetchone() == (30,)
    conn.close()


@pytest.mark.sqlite_only
def test_backup_to_a_named_file_and_never_over_it(gym: str, tmp_path: Path, capsys) -> None:
    target = tmp_path / "usb" / "friday.sqlite3"
    code, out, _ = run(capsys, "backup", str(target), "--database", gym)
    assert code == 0
    assert str(target) in out
    code, _, err = run(capsys, "backup", str(target), "--database", gym)
    assert code == 1
    assert err == f"desk: error: {target} already exists; choose another name.\n"


@pytest.mark.sqlite_only
def test_restore_refuses_a_foreign_file_with_one_line(gym: str, tmp_path: Path, capsys) -> None:
    before = names(gym)
    foreign = tmp_path / "members.csv"
    foreign.write_text("name,email\n" + "Ann,ann@example.com\n" * 300)
    code, out, err = run(capsys, "restore", str(foreign), "--database", gym)
    assert code == 1
    assert out == ""
    assert err.startswith("desk: error: ")
    assert "not a Desk backup" in err
    assert err.count("\n") == 1
    assert names(gym) == before
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_the_cli_works_on_both_backends(db_url: str, backend: str, capsys) -> None:
    """A cheap end-to-end run of the command line on SQLite and on PostgreSQL."""
    assert run(capsys, "demo", "--members", "30", "--seed", "4", "--database", db_url)[0] == 0
    code, out, _ = run(capsys, "check", "--database", db_url)
    assert code == 0
    assert "agrees with its ledger" in out
    db = Database(db_url)
    try:
        member = Services.build(db).members.get(1)
    finally:
        db.dispose()
    code, out, err = run(capsys, "credits", "show", str(member.id), "--database", db_url)
    assert (code, err) == (0, "")
    assert member.full_name in out
    if backend == "postgresql":
        code, _, err = run(capsys, "backup", "--database", db_url)
        assert code == 1
        assert "pg_dump" in err


@pytest.mark.sqlite_only
def test_restore_refuses_a_changed_backup_naming_it(gym: str, tmp_path: Path, capsys) -> None:
    before = names(gym)
    backup = tmp_path / "friday.sqlite3"
    assert run(capsys, "backup", str(backup), "--database", gym)[0] == 0
    data = bytearray(backup.read_bytes())
    data[-100] ^= 0x01  # one bit in the last page
    backup.write_bytes(bytes(data))
    code, out, err = run(capsys, "restore", str(backup), "--database", gym)
    assert (code, out) == (1, "")
    assert err == (
        f"desk: error: {backup} doesn't match its checksum (friday.sqlite3.sha256): it was "
        "changed or damaged after Desk made it; restore another backup.\n"
    )
    assert names(gym) == before
    assert not list(tmp_path.glob("*.before-restore-*"))


@pytest.mark.sqlite_only
def test_restore_says_when_a_backup_could_not_be_verified(gym: str, tmp_path: Path, capsys) -> None:
    backup = tmp_path / "copied by hand.sqlite3"
    assert run(capsys, "backup", str(backup), "--database", gym)[0] == 0
    Path(f"{backup}.sha256").unlink()
    code, out, err = run(capsys, "restore", str(backup), "--database", gym)
    assert (code, err) == (0, "")
    assert "could not be verified by checksum" in out
