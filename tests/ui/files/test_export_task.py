"""File > Export: off the GUI thread, with a progress dialog that can cancel."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from desk.services.records.exports import ExportCancelled
from desk.ui.files.export_task import start_export


def test_export_members_from_the_window(qtbot, desk_staff, shown_window, gym, tmp_path):
    window = shown_window
    path = tmp_path / "members.csv"
    task = window.export_file("members", path)
    assert task is not None
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Exported"))
    assert window.statusBar().currentMessage() == f"Exported 3 members to {path}"
    assert len(path.read_text(encoding="utf-8-sig").splitlines()) == 4  # header + 3


def test_a_long_export_shows_progress_and_cancel_writes_nothing(
    qtbot, desk_staff, shown_window, tmp_path
):
    window = shown_window
    path: Path = tmp_path / "big.csv"

    def slow_export(target: Path, progress, cancelled) -> int:
        for done in range(1, 2_001):
            if cancelled():
                raise ExportCancelled("Export cancelled: no file was written.")
            progress(done, 2_000)
            time.sleep(0.002)
        target.write_text("all of it")
        return 2_000

    start_export(window, "appointments", slow_export, path)
    qtbot.waitUntil(
        lambda: (
            (dialog := window.findChild(QProgressDialog, "exportProgress")) is not None
            and dialog.isVisible()
        ),
        timeout=5_000,
    )
    dialog = window.findChild(QProgressDialog, "exportProgress")
    qtbot.waitUntil(lambda: dialog.value() > 0)
    assert dialog.maximum() == 2_000
    assert "of 2,000 rows" in dialog.labelText()
    (cancel,) = dialog.findChildren(QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in window.statusBar().currentMessage(), timeout=5_000)
    assert window.statusBar().currentMessage() == (
        "Export of appointments cancelled: no file was written."
    )
    assert not path.exists()
