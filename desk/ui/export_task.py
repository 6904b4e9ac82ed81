"""File > Export: writing a CSV file off the GUI thread, with progress and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from desk.services.errors import DeskError
from desk.services.exports import ExportCancelled
from desk.services.progress import Cancelled, Progress
from desk.ui.background import BackgroundTask
from desk.ui.messages import show_error

Export = Callable[[Path, Progress, Cancelled], int]

# A small gym's export is done before a dialog could be read: show it only if the
# export is still running after this long.
SHOW_AFTER_MS = 400


def start_export(window: QMainWindow, what: str, export: Export, path: Path) -> BackgroundTask:
    """Run ``export`` into ``path`` on a worker; a progress dialog with Cancel shows
    when it takes a while, the status bar says how it ended."""
    status = window.statusBar()
    task = BackgroundTask(lambda progress, cancelled: export(path, progress, cancelled), window)
    dialog = QProgressDialog(f"Exporting {what}…", "Cancel", 0, 0, window)
    dialog.setObjectName("exportProgress")
    dialog.setWindowTitle(f"Export {what}")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.canceled.connect(task.cancel)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"Exporting {what}… {done:,} of {total:,} rows")

    def done() -> None:
        dialog.close()
        dialog.deleteLater()

    def finished(count: int) -> None:
        done()
        status.showMessage(f"Exported {count:,} {what} to {path}", 8000)

    def failed(error: object) -> None:
        done()
        if isinstance(error, ExportCancelled):
            status.showMessage(f"Export of {what} cancelled: no file was written.", 8000)
        elif isinstance(error, DeskError):
            show_error(window, error)
        else:
            status.showMessage(f"Export failed: {error}", 8000)

    task.progressed.connect(progressed)
    task.finished.connect(finished)
    task.failed.connect(failed)
    status.showMessage(f"Exporting {what}…")
    dialog.setValue(0)  # starts the minimum-duration clock
    task.start()
    return task
