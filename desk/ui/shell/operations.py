"""Every GUI write runs here: one worker thread, in click order (Anki's CollectionOp).

A dialog's save used to call its service on the GUI thread; while an import held
SQLite's write lock, an Add Credits save froze the window for seconds. Now the GUI
hands the runner a zero-argument callable (reading its widgets *before*, on the GUI
thread: the callable runs on the worker and must touch no widget). The runner:

* runs the callables on ONE worker thread, first come first served, so writes are
  serialised in the order people clicked (long writing tasks, ``write_task``: the
  import, backup and restore, queue on the same worker);
* hands each result back to the GUI thread by a queued signal, where the ``Changes``
  go out through the ChangeHub with the operation's origin, then ``on_done`` runs;
* shows the busy cursor only when an operation has waited ``busy_delay_ms`` (quick
  saves never flicker it), and takes it away when the queue is empty;
* reports a refusal (DeskError) to ``on_refused`` or in a message box; anything else
  is logged with its traceback and shown as an error, never swallowed.

Reads that can take more than a frame (a profile's load, the calendar's range) go to
``read``: ONE read worker of their own, so a long write never delays them (SQLite's WAL
lets them read while the import writes). Per key (a screen and what it loads) the latest
request wins: a result arriving after a newer request of the same key is dropped, and
a request still waiting when a newer one comes is never run.

``idle`` fires when the last queued operation (write or read) has finished and its
result is applied; ``wait_idle`` spins the event loop until then (tests).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from desk.services.core.changes import Outcome
from desk.services.core.errors import DeskError
from desk.ui.shell.background import BackgroundTask, TaskWork
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.messages import show_error, show_failure

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

BUSY_DELAY_MS = 150


@dataclass(frozen=True)
class Write(Generic[T]):
    """A service write, not yet run: hand it to ``OperationRunner.run`` (or ``submit``).

    Screens whose subclasses supply the write (the settings lists, the catalog pages)
    return one of these instead of calling the service themselves.
    """

    call: Callable[[], Outcome[T]]


class _Job:
    """One queued piece of work and what to do with its result on the GUI thread."""

    def __init__(
        self,
        work: Callable[[], Any],
        deliver: Callable[[_Job], None] | None,
        *,
        shows_cursor: bool,
    ) -> None:
        self.work = work
        self.deliver = deliver
        self.shows_cursor = shows_cursor
        self.result: Any = None
        self.error: BaseException | None = None
        self.origin_gone = False
        self.superseded: Callable[[], bool] = lambda: False

    def execute(self) -> None:
        if self.superseded():
            return
        try:
            self.result = self.work()
        except Exception as exc:  # handed to the GUI thread, which reports it
            if not isinstance(exc, DeskError):
                log.exception("operation failed")
            self.error = exc


class OperationRunner(QObject):
    """The one place the GUI's writes run (see the module docstring)."""

    idle = Signal()
    _finished = Signal(object)  # a _Job, emitted on the worker, received queued

    def __init__(
        self,
        hub: ChangeHub,
        parent: QObject | None = None,
        *,
        busy_delay_ms: int = BUSY_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._hub = hub
        self._lock = threading.Lock()
        self._queue: deque[_Job] = deque()
        self._worker_alive = False
        self._reads: deque[_Job] = deque()
        self._reader_alive = False
        self._latest: dict[object, int] = {}
        self._requests = 0
        self._pending: list[_Job] = []
        self._cursor_shown = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_delay_ms)
        self._busy_timer.timeout.connect(self._show_busy)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    # --- what screens use ------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether an operation is queued, running, or its result not yet applied."""
        return bool(self._pending)

    def run(
        self,
        work: Callable[[], Outcome[T]] | Write[T],
        *,
        origin: QObject | None = None,
        on_done: Callable[[T], None] | None = None,
        on_refused: Callable[[DeskError], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Queue ``work`` (a service write); never blocks.

        On the GUI thread afterwards: the Changes are published with ``origin``, then
        ``on_done(value)``; or ``on_refused(error)`` for a DeskError (default: a message
        box over ``origin``); or ``on_failed(exc)`` after anything else (default: the
        error in a message box; it is logged either way). When ``origin`` is destroyed
        first, the Changes are still published but no callback runs.
        """
        call = work.call if isinstance(work, Write) else work
        job = _Job(call, None, shows_cursor=True)

        def deliver(finished: _Job) -> None:
            widget = origin if isinstance(origin, QWidget) and not finished.origin_gone else None
            if finished.error is None:
                outcome: Outcome[T] = finished.result
                self._hub.publish(outcome.changes, origin=origin)
                if on_done is not None and not finished.origin_gone:
                    on_done(outcome.value)
            elif isinstance(finished.error, DeskError):
                if finished.origin_gone:
                    return
                if on_refused is not None:
                    on_refused(finished.error)
                else:
                    show_error(widget, finished.error)
            elif on_failed is not None and not finished.origin_gone:
                on_failed(finished.error)
            else:
                show_failure(widget, finished.error)

        job.deliver = deliver
        if origin is not None:
            origin.destroyed.connect(lambda: setattr(job, "origin_gone", True))
        self._enqueue(job)

    def read(
        self,
        key: object,
        fetch: Callable[[], R],
        apply: Callable[[R], None],
        *,
        origin: QObject | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fetch`` (service reads only, no widget) on the read worker, then
        ``apply(result)`` on the GUI thread, unless a newer ``read`` of the same ``key``
        was asked for meanwhile or ``origin`` is gone. A failure goes to ``on_failed``
        (default: logged and shown in a message box)."""
        self._requests += 1
        generation = self._requests
        self._latest[key] = generation
        job = _Job(fetch, None, shows_cursor=False)
        job.superseded = lambda: self._latest.get(key) != generation

        def deliver(finished: _Job) -> None:
            if job.superseded() or finished.origin_gone:
                return
            del self._latest[key]
            if finished.error is None:
                apply(finished.result)
            elif on_failed is not None:
                on_failed(finished.error)
            else:
                show_failure(origin if isinstance(origin, QWidget) else None, finished.error)

        job.deliver = deliver
        if origin is not None:
            origin.destroyed.connect(lambda: setattr(job, "origin_gone", True))
        self._pending.append(job)
        with self._lock:
            self._reads.append(job)
            if self._reader_alive:
                return
            self._reader_alive = True
        threading.Thread(target=self._drain_reads, name="desk-reads", daemon=True).start()

    def write_task(self, work: TaskWork, parent: QObject | None = None) -> BackgroundTask:
        """A long write with progress and Cancel (import, backup, restore), queued on
        the same worker as every other write when started; see BackgroundTask."""
        return BackgroundTask(work, parent, start_on=self._start_task)

    def wait_idle(self, timeout_ms: int = 10_000) -> None:
        """Run the event loop until every queued operation has finished (tests).
        Raises TimeoutError when they haven't after ``timeout_ms``."""
        if not self.busy:
            return
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(timeout_ms)
        loop.exec()
        self.idle.disconnect(loop.quit)
        if self.busy:
            raise TimeoutError(f"operations still running after {timeout_ms} ms")

    # --- the queue -------------------------------------------------------------------------

    def _start_task(self, run: Callable[[], None]) -> None:
        self._enqueue(_Job(run, None, shows_cursor=False))

    def _enqueue(self, job: _Job) -> None:
        self._pending.append(job)
        if job.shows_cursor and not self._cursor_shown and not self._busy_timer.isActive():
            self._busy_timer.start()
        with self._lock:
            self._queue.append(job)
            if self._worker_alive:
                return
            self._worker_alive = True
        threading.Thread(target=self._drain, name="desk-writes", daemon=True).start()

    def _drain(self) -> None:
        """The worker: run queued jobs in order; exit when the queue is empty."""
        while True:
            with self._lock:
                if not self._queue:
                    self._worker_alive = False
                    return
                job = self._queue.popleft()
            job.execute()
            self._finished.emit(job)

    def _drain_reads(self) -> None:
        """The read worker: as ``_drain``, for reads."""
        while True:
            with self._lock:
                if not self._reads:
                    self._reader_alive = False
                    return
                job = self._reads.popleft()
            job.execute()
            self._finished.emit(job)

    @Slot(object)
    def _on_finished(self, job: _Job) -> None:
        try:
            if job.deliver is not None:
                job.deliver(job)
        except Exception:
            log.exception("applying an operation's result failed")
        finally:
            self._pending.remove(job)
            if not any(j.shows_cursor for j in self._pending):
                self._busy_timer.stop()
                self._hide_busy()
            if not self._pending:
                self.idle.emit()

    def _show_busy(self) -> None:
        if any(j.shows_cursor for j in self._pending) and not self._cursor_shown:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            self._cursor_shown = True

    def _hide_busy(self) -> None:
        if self._cursor_shown:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_shown = False
