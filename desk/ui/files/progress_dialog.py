"""A progress dialog with Cancel for a BackgroundTask (docs/design.md: long work shows a
progress bar and can be cancelled)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk.ui.shell.background import BackgroundTask

# Work that is over before a dialog could be read shows none: only what still runs
# after this long gets one.
SHOW_AFTER_MS = 400


def attach_progress_dialog(
    task: BackgroundTask,
    parent: QWidget,
    *,
    name: str,
    title: str,
    describe: Callable[[int, int], str],
) -> QProgressDialog:
    """A window-modal dialog for ``task``: ``describe(done, total)`` is its text, Cancel
    (or closing it) asks the task to stop, and it goes away when the task ends.
    Connect the task's own finished/failed handlers after calling this, then start it."""
    dialog = QProgressDialog(describe(0, 0), "Cancel", 0, 0, parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.canceled.connect(task.cancel)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(describe(done, total))

    def ended(_result: object) -> None:
        dialog.close()
        dialog.deleteLater()

    task.progressed.connect(progressed)
    task.finished.connect(ended)
    task.failed.connect(ended)
    dialog.setValue(0)  # starts the minimum-duration clock
    return dialog
