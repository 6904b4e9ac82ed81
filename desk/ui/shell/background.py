"""Run slow work off the GUI thread; results come back by queued signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desk.services.core.errors import DeskError

log = logging.getLogger(__name__)

TaskWork = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]
"""A task's work: it gets ``progress(done, total)`` and ``cancelled()``."""


class BackgroundTask(QObject):
    """One piece of work on a worker thread, with progress and cancellation.

    The work function gets ``progress(done, total)`` and ``cancelled()``
    callables. ``finished`` carries its return value, ``failed`` the exception.
    Signals emitted from the worker reach slots on the GUI thread queued, so
    widgets are only ever touched there (STYLE.md, convention 5).

    ``start`` runs it on a thread of its own (reads: exports), or hands it to
    ``start_on``: the OperationRunner's write queue (``runner.write_task``) gives that
    for tasks that write, so they queue behind and before the other writes.
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        work: TaskWork,
        parent: QObject | None = None,
        *,
        start_on: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._start_on = start_on
        self._started = False
        self._ended = threading.Event()

    def start(self) -> None:
        self._started = True
        if self._start_on is not None:
            self._start_on(self._run)
        else:
            threading.Thread(target=self._run, name="desk-task", daemon=True).start()

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        """Started (or queued to start) and not ended yet."""
        return self._started and not self._ended.is_set()

    def wait(self, timeout: float | None = None) -> None:
        if self._started:
            self._ended.wait(timeout)

    def _run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self._cancel.is_set)
        except Exception as exc:  # handed to the GUI thread, which shows it
            if not isinstance(exc, DeskError):
                log.exception("background task failed")
            self._ended.set()
            self.failed.emit(exc)
            return
        self._ended.set()
        self.finished.emit(result)
