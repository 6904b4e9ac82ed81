"""The day's backup and the check of the database file, in the background once the
main window shows.

Both read the whole file: the backup about 0.7 s at 100,000 members (1.5 s of the first
start before the window appeared, 15-19 s at 1,000,000), SQLite's quick_check 5 s of CPU
at 100,000 and 43 s at 1,000,000 (on every start, before). So neither is on the start
path: the backup runs after the window shows, the check after the backup and at most once
a day per workstation and database (the day of its last clean pass is kept in QSettings;
a file with problems is checked again at the next start, and reported again).

What they find comes back by queued signal; only the slots touch widgets. Closing the
window stops the work between two steps (4 MiB of the copy or of its checksum; the check
is interrupted) and waits for that. A copy cut short leaves no backup: ``backups._make``
writes it under a temporary name and gives it its name only once it is whole and hashed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Signal
from PySide6.QtWidgets import QLabel

from desk.services.container import Services
from desk.services.core.clock import today
from desk.services.core.errors import DeskError
from desk.services.records.backups import BackupCancelled
from desk.services.records.file_check import FileCheck, FileCheckStopped

if TYPE_CHECKING:
    from desk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

CHECKED_KEY = "checks/database_file_checked"  # "<gym's date> <database>" of the last clean pass
STOP_WAIT_SECONDS = 5.0  # far more than one step; a stuck disk must not keep Desk open
_DONE_SECONDS = 10_000  # ms a finished backup's message stays


class DailyHousekeeping(QObject):
    """Runs once per start, after the window shows, on a thread of its own."""

    progressed = Signal(int)  # percent of the backup done
    backed_up = Signal(object)  # Path | None: the day's new backup (None: it existed)
    backup_failed = Signal(str)
    checked = Signal(list)  # list[str]: the file's problems, empty when sound
    finished = Signal()

    def __init__(self, services: Services, settings: QSettings | None, window: MainWindow) -> None:
        super().__init__(window)
        self._services = services
        self._settings = settings
        self._window = window
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._check: FileCheck | None = None
        self._stamp = f"{today(services.clock).isoformat()} {services.backups.describe_database()}"
        self.problems: list[str] | None = None  # the file check's, once it has run
        self.warning = QLabel(window)
        self.warning.setObjectName("databaseFileWarning")
        self.warning.setStyleSheet("color: #b42318; font-weight: bold;")
        self.warning.hide()
        window.statusBar().addWidget(self.warning)
        self.progressed.connect(self._show_progress)
        self.backed_up.connect(self._show_backup)
        self.backup_failed.connect(self._show_failure)
        self.checked.connect(self._show_check)
        window.installEventFilter(self)

    def start(self) -> DailyHousekeeping:
        """Start the backup (when today's is due) and the file check (when due)."""
        if self._settings is None or self._settings.value(CHECKED_KEY, "") != self._stamp:
            self._check = self._services.backups.file_check()
        self._thread = threading.Thread(target=self._run, name="desk-daily", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = STOP_WAIT_SECONDS) -> None:
        """Stop the work at its next step and wait up to ``timeout`` seconds for it."""
        self._stop.set()
        if self._check is not None:
            self._check.stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.stop()  # before the database is disposed of, the copy left half-made
        return False

    def _run(self) -> None:
        try:
            self._back_up()
            if self._check is not None and not self._stop.is_set():
                try:
                    problems = self._check.run()
                except FileCheckStopped:
                    log.info("The database file check stopped: Desk is closing")
                else:
                    for problem in problems:
                        log.error("database file: %s", problem)
                    self._emit("checked", problems)
        except Exception:  # a check that crashes must not take the app down
            log.exception("the day's housekeeping failed")
        finally:
            self._emit("finished")

    def _back_up(self) -> None:
        said = -1

        def progress(done: int, total: int) -> None:
            nonlocal said
            percent = done * 100 // total if total else 100
            if percent != said:  # a signal per percent, not per 4 MiB step
                said = percent
                self._emit("progressed", percent)

        try:
            made = self._services.backups.daily_backup(
                progress=progress, cancelled=self._stop.is_set
            )
        except BackupCancelled:
            log.info("The daily backup stopped: Desk is closing; no file was written")
            return
        except DeskError as exc:
            log.warning("The daily backup failed: %s", exc.message)
            self._emit("backup_failed", exc.message)
            return
        except Exception as exc:
            log.exception("The daily backup failed")
            self._emit("backup_failed", str(exc))
            return
        if made is not None:
            log.info("Daily backup: %s", made)
        self._emit("backed_up", made)

    def _emit(self, signal: str, *args: object) -> None:
        # RuntimeError: the window, and this object with it, is gone: nobody to tell.
        with contextlib.suppress(RuntimeError):
            getattr(self, signal).emit(*args)

    def _show_progress(self, percent: int) -> None:
        self._window.statusBar().showMessage(f"Making today's backup… {percent}%")

    def _show_backup(self, made: Path | None) -> None:
        status = self._window.statusBar()
        if made is not None:
            status.showMessage(f"Today's backup is made: {made}", _DONE_SECONDS)
        elif status.currentMessage().startswith("Making today's backup"):
            status.clearMessage()  # another desk made it meanwhile

    def _show_failure(self, message: str) -> None:
        # No time-out: a day without a backup is worth seeing until something else is said.
        self._window.statusBar().showMessage(f"⚠ Today's backup failed: {message}")

    def _show_check(self, problems: list[str]) -> None:
        self.problems = problems
        if not problems:
            if self._settings is not None:
                self._settings.setValue(CHECKED_KEY, self._stamp)
            return
        self.warning.setText(
            f"⚠ The database file check found {len(problems)} problem(s): "
            "run `desk check` and contact support."
        )
        self.warning.show()
