"""File > Back up now and File > Restore a backup, off the GUI thread.

A restore at 100,000 members copies ~13 s of pages; run on the GUI thread it froze
the window (no repaint, "not responding"). It now runs on a worker behind an
application-modal busy dialog without a cancel button: a restore stopped halfway
would leave neither the old database nor the new one. A backup runs in the
background while people keep working (SQLite's online backup API copies a
consistent snapshot), with progress and Cancel when it takes a while; the
status bar says how it ended.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressDialog

from desk.services.core.errors import DeskError, PermissionDenied
from desk.services.core.permissions import Permission
from desk.services.records import backups
from desk.ui.files.progress_dialog import attach_progress_dialog
from desk.ui.shell.background import BackgroundTask
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error


class BackupRestore(QObject):
    """The two File menu commands of a main window; ``restored`` fires after a restore."""

    restored = Signal(object)  # backups.RestoreResult

    def __init__(self, ctx: DeskContext, window: QMainWindow) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._window = window
        self.busy: QProgressDialog | None = None

    def back_up(self) -> BackgroundTask:
        """Copy the database now; a progress dialog with Cancel shows when it takes a
        while (a large gym's file), the status bar reports the file or the failure."""
        service = self._ctx.services.backups
        actor = self._ctx.actor
        status = self._window.statusBar()
        task = self._ctx.runner.write_task(
            lambda progress, cancelled: service.back_up_now(
                actor=actor, progress=progress, cancelled=cancelled
            ),
            self,
        )
        attach_progress_dialog(
            task,
            self._window,
            name="backupProgress",
            title="Back up",
            describe=lambda done, total: (
                f"Backing up… {done * 100 // total} %" if total else "Backing up…"
            ),
        )
        task.finished.connect(lambda path: status.showMessage(f"Backed up to {path}", 10_000))
        task.failed.connect(self._failed)
        status.showMessage("Backing up…")
        task.start()
        return task

    def restore(self, file: Path | None = None) -> BackgroundTask | None:
        """Replace the database with a backup (owners and admins), asking first when no
        ``file`` is given. Returns the running task, or None when refused or cancelled."""
        if not self._ctx.can(Permission.RESTORE):
            show_error(
                self._window,
                PermissionDenied(f"You may not {Permission.RESTORE.value}; ask an owner or admin."),
            )
            return None
        if file is None:
            name, _ = QFileDialog.getOpenFileName(
                self._window, "Restore a backup", "", "Desk backups (*)"
            )
            if not name:
                return None
            file = Path(name)
            answer = QMessageBox.question(
                self._window,
                "Restore",
                f"Replace the database with {file.name}? The current one is kept aside, "
                "and Desk closes when it's done: start it again.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        service = self._ctx.services.backups
        actor = self._ctx.actor
        task = self._ctx.runner.write_task(
            lambda _progress, _cancelled: service.restore(file, actor=actor), self
        )
        busy = QProgressDialog(
            f"Restoring {file.name}…\nDesk closes when it is done.", "", 0, 0, self._window
        )
        busy.setObjectName("restoreProgress")
        busy.setWindowTitle("Restore")
        busy.setCancelButton(None)  # no button: a half-done restore is worse than none
        busy.setWindowModality(Qt.WindowModality.ApplicationModal)
        busy.setMinimumDuration(0)
        busy.setAutoClose(False)
        self.busy = busy
        task.finished.connect(self._restored)
        task.failed.connect(self._failed)
        busy.show()
        task.start()
        return task

    def _restored(self, result: backups.RestoreResult) -> None:
        self._close_busy()
        self.restored.emit(result)

    def _failed(self, error: object) -> None:
        self._close_busy()
        if isinstance(error, backups.BackupCancelled):
            self._window.statusBar().showMessage(error.message, 10_000)
        elif isinstance(error, DeskError):
            show_error(self._window, error)
        else:
            self._window.statusBar().showMessage(f"Failed: {error}", 10_000)

    def _close_busy(self) -> None:
        if self.busy is not None:
            self.busy.close()
            self.busy.deleteLater()
            self.busy = None
