"""The day's first start: the window comes first, then the day's backup and the check of
the database file in the background, told in the status bar; closing stops them.

Each test runs the real start (``desk.app.run``) on a SQLite file with an owner in it;
the event loop is the test's own (``QApplication.exec`` replaced), which drives the
window as a person would and closes it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from desk import app as desk_app
from desk.db import Database
from desk.services.container import Services
from desk.services.records import backups
from desk.services.records.file_check import FileCheck
from desk.ui.shell.context import DeskContext
from desk.ui.shell.daily_housekeeping import CHECKED_KEY, DailyHousekeeping
from desk.ui.shell.login_dialog import LoginDialog
from desk.ui.shell.main_window import MainWindow
from tests.migrated import migrated_sqlite

pytestmark = pytest.mark.sqlite_only  # file backups; a server has none
WAIT_MS = 10_000
Loop = Callable[[MainWindow, DailyHousekeeping], None]


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Desk file with an owner; logs and QSettings in tmp_path, sign-in skipped."""
    monkeypatch.setattr("desk.logging_setup.log_dir", lambda: tmp_path / "logs")
    monkeypatch.setattr(desk_app, "QSettings", lambda *_: settings_of(tmp_path))
    path = tmp_path / "gym" / "desk.sqlite3"
    db = migrated_sqlite(path)
    Services.build(db).auth.create_owner(name="Dana", username="dana", password="a long password")
    db.dispose()

    def sign_in(ctx: DeskContext, parent: object = None, *, locked: object = None) -> object:
        return ctx.services.auth.sign_in("dana", "a long password")

    monkeypatch.setattr(LoginDialog, "ask", staticmethod(sign_in))
    return path


def settings_of(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def start_desk(qapp: QApplication, live: Path, monkeypatch: pytest.MonkeyPatch, loop: Loop) -> None:
    """``desk`` on ``live``; ``loop`` is the event loop, with the window shown."""

    def event_loop(self: QApplication) -> int:
        window = next(
            w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        housekeeping = window.findChild(DailyHousekeeping)
        assert housekeeping is not None
        loop(window, housekeeping)
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert desk_app.run(f"sqlite:///{live}") == 0


def dailies(live: Path) -> list[Path]:
    return sorted((live.parent / "backups").glob("desk-daily-*.sqlite3"))


def everything_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def message(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_the_window_shows_before_a_slow_backup_then_the_status_bar_says_it_is_made(
    qapp, qtbot, live, monkeypatch
):
    gate = threading.Event()
    real = backups.copy_snapshot

    def slow_copy(db: Database, target: Path, step: Callable[[int, int], None]) -> None:
        gate.wait(WAIT_MS / 1000)  # a file that takes long to copy: until the test says
        real(db, target, step)

    monkeypatch.setattr(backups, "copy_snapshot", slow_copy)
    seen: list[str] = []

    def loop(window: MainWindow, housekeeping: DailyHousekeeping) -> None:
        qtbot.waitExposed(window)
        seen.append("window")
        assert housekeeping.is_running()
        assert dailies(live) == []  # the backup is still to come
        gate.set()
        qtbot.waitUntil(
            lambda: message(window).startswith("Today's backup is made"), timeout=WAIT_MS
        )
        seen.append("backup")
        assert message(window).startswith("Today's backup is made: ")
        assert str(dailies(live)[0]) in message(window)

    start_desk(qapp, live, monkeypatch, loop)
    assert seen == ["window", "backup"]
    (made,) = dailies(live)
    assert backups.check_backup(made).checksum.value == "verified"


def test_a_failing_backup_is_told_in_the_status_bar_and_logged(qapp, qtbot, live, monkeypatch):
    def full_disk(db: Database, target: Path, step: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "copy_snapshot", full_disk)

    def loop(window: MainWindow, housekeeping: DailyHousekeeping) -> None:
        qtbot.waitUntil(lambda: "backup failed" in message(window), timeout=WAIT_MS)
        assert "No space left on device" in message(window)
        assert window.isVisible()

    start_desk(qapp, live, monkeypatch, loop)
    assert dailies(live) == []
    log = (live.parent.parent / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "The daily backup failed: Could not write the backup" in log


def test_closing_during_the_backup_stops_it_and_leaves_no_backup(qapp, qtbot, live, monkeypatch):
    import desk.db as desk_db

    monkeypatch.setattr(desk_db, "BACKUP_STEP_PAGES", 2)  # many steps even for a small file
    copying = threading.Event()
    stopping: list[Callable[[], bool]] = []
    real_daily, real_copy = backups.daily_backup, backups.copy_snapshot

    def watched_daily(db: Database, **kwargs: object) -> Path | None:
        stopping.append(kwargs["cancelled"])  # type: ignore[arg-type]
        return real_daily(db, **kwargs)  # type: ignore[arg-type]

    def slow_copy(db: Database, target: Path, step: Callable[[int, int], None]) -> None:
        def slow_step(done: int, total: int) -> None:
            copying.set()
            # A copy that lasts until Desk is closing (at most WAIT_MS): then it must stop.
            while not stopping[0]() and not gate.wait(0.005):
                pass
            step(done, total)

        real_copy(db, target, slow_step)

    gate = threading.Event()
    monkeypatch.setattr(backups, "daily_backup", watched_daily)
    monkeypatch.setattr(backups, "copy_snapshot", slow_copy)
    timer = threading.Timer(WAIT_MS / 1000, gate.set)  # never hang the suite
    timer.start()

    def loop(window: MainWindow, housekeeping: DailyHousekeeping) -> None:
        qtbot.waitUntil(copying.is_set, timeout=WAIT_MS)
        window.close()  # as the person does; app.run then disposes of the database
        assert not housekeeping.is_running()

    try:
        start_desk(qapp, live, monkeypatch, loop)
    finally:
        timer.cancel()
    assert not gate.is_set()  # it stopped because Desk closed, not by the safety timer
    assert dailies(live) == []
    assert everything_in(live.parent / "backups") == []  # no partial copy either
    db = Database(f"sqlite:///{live}")
    try:
        assert backups.list_backups(db) == []
    finally:
        db.dispose()
    log = (live.parent.parent / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "The daily backup stopped: Desk is closing" in log


def damage(path: Path) -> None:
    """Break one page of a table Desk never reads at start-up: only a full check sees it."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE scratch (x TEXT)")
    conn.execute("CREATE INDEX scratch_x ON scratch (x)")
    conn.executemany(
        "INSERT INTO scratch VALUES (?)", [(os.urandom(40).hex(),) for _ in range(2000)]
    )
    conn.commit()
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'scratch_x'").fetchone()
    (page,) = conn.execute("PRAGMA page_size").fetchone()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as file:
        file.seek(root * page - 300)  # the cells at the end of the index's root page
        file.write(b"\xff" * 300)


def test_a_damaged_file_is_reported_after_the_window_shows_on_every_start(
    qapp, qtbot, live, monkeypatch, tmp_path
):
    damage(live)
    for _start in range(2):  # not recorded as checked: the next start says it again

        def loop(window: MainWindow, housekeeping: DailyHousekeeping) -> None:
            qtbot.waitUntil(lambda: housekeeping.problems is not None, timeout=WAIT_MS)
            assert housekeeping.problems
            assert housekeeping.warning.isVisible()
            assert "database file check found 1 problem(s)" in housekeeping.warning.text()
            assert "desk check" in housekeeping.warning.text()

        start_desk(qapp, live, monkeypatch, loop)
    assert settings_of(tmp_path).value(CHECKED_KEY) is None
    log = (tmp_path / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "database file: *** in database main ***" in log


def test_a_sound_file_is_checked_once_a_day(qapp, qtbot, live, monkeypatch, tmp_path):
    runs: list[int] = []
    real = FileCheck.run

    def counted(check: FileCheck) -> list[str]:
        runs.append(1)
        return real(check)

    monkeypatch.setattr(FileCheck, "run", counted)
    for start in range(2):

        def loop(window: MainWindow, housekeeping: DailyHousekeeping, start: int = start) -> None:
            if start == 0:
                qtbot.waitUntil(lambda: housekeeping.problems == [], timeout=WAIT_MS)
            else:
                qtbot.waitUntil(lambda: not housekeeping.is_running(), timeout=WAIT_MS)
                QApplication.processEvents()  # whatever it said has arrived
                assert housekeeping.problems is None  # not checked again
            assert not housekeeping.warning.isVisible()

        start_desk(qapp, live, monkeypatch, loop)
    assert runs == [1]  # the second start of the day checks nothing
    assert str(settings_of(tmp_path).value(CHECKED_KEY)).endswith(str(live))
    assert len(dailies(live)) == 1  # and makes no second backup
