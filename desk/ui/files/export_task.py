"""File > Export: writing a CSV file off the GUI thread, with progress and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMainWindow

from desk.services.core.errors import DeskError
from desk.services.core.progress import Cancelled, Progress
from desk.services.records.exports import ExportCancelled
from desk.ui.files.progress_dialog import attach_progress_dialog
from desk.ui.shell.background import BackgroundTask
from desk.ui.shell.messages import show_error

Export = Callable[[Path, Progress, Cancelled], int]


def start_export(window: QMainWindow, what: str, export: Export, path: Path) -> BackgroundTask:
    """Run ``export`` into ``path`` on a worker; a progress dialog with Cancel shows
    when it takes a while, the status bar says how it ended."""
    status = window.statusBar()
    task = BackgroundTask(lambda progress, cancelled: export(path, progress, cancelled), window)
    attach_progress_dialog(
        task,
        window,
        name="exportProgress",
        title=f"Export {what}",
        describe=lambda done, total: (
            f"Exporting {what}… {done:,} of {total:,} rows" if total else f"Exporting {what}…"
        ),
    )

    def finished(count: int) -> None:
        status.showMessage(f"Exported {count:,} {what} to {path}", 8000)

    def failed(error: object) -> None:
        if isinstance(error, ExportCancelled):
            status.showMessage(f"Export of {what} cancelled: no file was written.", 8000)
        elif isinstance(error, DeskError):
            show_error(window, error)
        else:
            status.showMessage(f"Export failed: {error}", 8000)

    task.finished.connect(finished)
    task.failed.connect(failed)
    status.showMessage(f"Exporting {what}…")
    task.start()
    return task
