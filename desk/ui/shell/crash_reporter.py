"""Unhandled exceptions: log the traceback, tell the person, keep the app running."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.services.core.errors import DeskError

log = logging.getLogger("desk.crash")

_ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class CrashReporter(QObject):
    """Installed as ``sys.excepthook`` (and ``threading.excepthook``) by the app.

    An exception nobody caught (in a slot, an event handler, a worker thread)
    is written to the log with its traceback, and a dialog says what happened
    and where the log is. Qt keeps running its event loop after a slot raised,
    so the app goes on: the action that failed may not have finished, and the
    dialog says so. The dialog is shown from the GUI thread (a queued signal)
    and never blocks the caller; while one is open, further errors are counted
    in it instead of stacking dialogs (an error in a paint event repeats).
    """

    reported = Signal(str, str)  # summary, traceback

    def __init__(self, log_file: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_file = log_file
        self.dialog: QMessageBox | None = None
        self.more = 0
        """Errors reported while the dialog was already open."""
        self._previous_hook: _ExceptHook | None = None
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], object] | None = None
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # --- hooks ------------------------------------------------------------------------------

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_hook is not None and sys.excepthook == self.handle:
            sys.excepthook = self._previous_hook
        if self._previous_thread_hook is not None and threading.excepthook == self._handle_thread:
            threading.excepthook = self._previous_thread_hook
        self._previous_hook = self._previous_thread_hook = None

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """The excepthook: log now (any thread), show the dialog on the GUI thread."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("Unhandled exception", exc_info=(exc_type, exc, tb))
        if isinstance(exc, DeskError):
            summary = exc.message
        else:
            summary = "".join(traceback.format_exception_only(exc_type, exc)).strip()
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        self.reported.emit(summary, details)

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    # --- the dialog -------------------------------------------------------------------------

    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.more += 1
            self.dialog.setInformativeText(self._advice())
            return
        self.more = 0
        box = QMessageBox(QApplication.activeWindow())
        box.setObjectName("crashDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Desk ran into a problem")
        box.setText(f"Something went wrong: {summary}")
        box.setInformativeText(self._advice())
        box.setDetailedText(details)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._forget)
        self.dialog = box
        box.open()

    def _forget(self) -> None:
        self.dialog = None

    def _advice(self) -> str:
        where = (
            f"The details were written to the log:\n{self._log_file}"
            if self._log_file is not None
            else "The details could not be written to a log file."
        )
        more = f"\n\n{self.more} more error(s) happened since; see the log." if self.more else ""
        return (
            "Desk is still running, but what you were doing may not have finished: "
            f"check it before going on. If this happens again, send the log to support.\n\n"
            f"{where}{more}"
        )
