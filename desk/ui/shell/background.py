"""Run slow work off the GUI thread; results come back by queued signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desk.services.core.errors import DeskError

log = logging.getLogger(__name__)


class BackgroundTask(QObject):
    """One piece of work on a worker thread, with progress and cancellation.

    The work function gets ``progress(done, total)`` and ``cancelled()``
    callables. ``finished`` carries its return value, ``failed`` the exception.
    Signals emitted from the worker reach slots on the GUI thread queued, so
    widgets are only ever touched there (STYLE.md, convention 5).
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="desk-task", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self._cancel.is_set)
        except Exception as exc:  # handed to the GUI thread, which shows it
            if not isinstance(exc, DeskError):
                log.exception("background task failed")
            self.failed.emit(exc)
            return
        self.finished.emit(result)
