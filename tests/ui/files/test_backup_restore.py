"""File > Back up now and File > Restore a backup, run off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from tests.actors import SYSTEM


def test_back_up_runs_in_the_background_and_says_where(qtbot, desk_staff, shown_window):
    window = shown_window
    task = window.back_up()
    assert window.statusBar().currentMessage() == "Backing up…"
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to "))
    assert not task.is_running()
    backup = Path(window.statusBar().currentMessage().removeprefix("Backed up to "))
    assert backup.is_file()
    assert backup.stat().st_size > 0


def test_restore_shows_a_busy_dialog_then_closes_with_the_backup_in_place(
    qtbot, desk_staff, gym, shown_window, message_boxes
):
    services = desk_staff.services
    window = shown_window
    window.back_up()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to "))
    backup = Path(window.statusBar().currentMessage().removeprefix("Backed up to "))
    services.members.create(first_name="Added", last_name="Later", actor=SYSTEM)
    assert services.members.count() == 4

    task = window.restore(backup)
    assert task is not None
    busy = window.findChild(QProgressDialog, "restoreProgress")
    assert busy is not None
    assert busy.isVisible()
    assert busy.windowModality() == Qt.WindowModality.ApplicationModal
    assert "Restoring" in busy.labelText()
    qtbot.waitUntil(lambda: window.restored, timeout=30_000)

    assert not window.isVisible()
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog, "restoreProgress") is None)
    assert message_boxes == []
    # The services' database object works on after the file underneath was replaced.
    assert services.members.count() == 3
    assert not services.members.search("Added")


def test_a_damaged_backup_is_refused_and_the_window_stays(
    qtbot, desk_staff, shown_window, gym, tmp_path, message_boxes
):
    window = shown_window
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    task = window.restore(damaged)
    assert task is not None
    qtbot.waitUntil(lambda: not task.is_running() and bool(message_boxes), timeout=30_000)
    assert window.isVisible()
    assert not window.restored
    assert any(str(damaged) in text or damaged.name in text for text in message_boxes)
    assert desk_staff.services.members.count() == 3


def test_a_long_backup_shows_progress_and_can_be_cancelled(
    qtbot, desk_staff, shown_window, monkeypatch
):
    import time

    from PySide6.QtWidgets import QPushButton

    from desk.services.records import backups

    def slow_backup(db, target=None, *, overwrite=False, progress=None, cancelled=None):
        for done in range(1, 501):
            if cancelled():
                raise backups.BackupCancelled("Backup cancelled: no file was written.")
            progress(done, 500)
            time.sleep(0.004)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(backups, "backup_now", slow_backup)
    window = shown_window
    window.back_up()
    qtbot.waitUntil(
        lambda: (
            (dialog := window.findChild(QProgressDialog, "backupProgress")) is not None
            and dialog.isVisible()
            and dialog.value() > 0
        ),
        timeout=5_000,
    )
    dialog = window.findChild(QProgressDialog, "backupProgress")
    assert dialog.labelText().startswith("Backing up… ")
    assert dialog.labelText().endswith(" %")
    (cancel,) = dialog.findChildren(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage(), timeout=5_000)
    assert window.statusBar().currentMessage() == "Backup cancelled: no file was written."
