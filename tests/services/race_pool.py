"""The desk processes behind ``race_harness.Desks``: started once per test process, reused.

Starting a desk is starting an interpreter that imports Desk, SQLAlchemy and a
database driver: about 0.3 s of CPU each, so 8 desks cost 2 to 3 seconds (more
on a busy machine) before a race test's first round, and closing them another
second. A ``Pool`` of desks is started the first time a test process (a
pytest-xdist worker, or the one pytest process with ``-n 0``) asks for that
many desks and is kept until the process ends; every race test borrows it.

Each borrowing is a fresh start as far as a test can see: ``open(url, act)``
tells every desk the test's database and ``act`` function (pickled by name);
the desk builds a new ``Database`` and ``Services`` on it, and disposes them
(every connection closed) when the test gives the pool back. Nothing of one
test's database or services survives into the next. The barrier is the same
as before: each round's tasks wait at it and start together.

A pool that went wrong is never lent again: if a desk died, a round timed out
or the barrier broke, the pool is stopped (its desks killed) and the next test
gets a new one.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import pickle
import queue
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk.db import Database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import DeskError

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # the conftest clock: 10:00 in New York
ZONE = "America/New_York"
RESULT_TIMEOUT_S = 120
STOP_TIMEOUT_S = 10


@dataclass(frozen=True)
class Result:
    worker: int
    task: Any
    status: str  # "ok", "refused" (a DeskError) or "error" (anything else)
    value: Any = None
    error: str = ""  # "InsufficientCredits: ..." or a traceback
    retries: int = 0  # transactions @retry_transient ran again for this task
    seconds: float = 0.0
    retried: tuple[str, ...] = ()  # what was retried: "method: kind of conflict", one each


class _RetryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        self.seen.append(": ".join(str(a) for a in args[:2]) or record.getMessage())


def _next_message(inbox: Any) -> Any:
    """The next message, or None when told to stop or when the test process is gone."""
    parent = multiprocessing.parent_process()
    while True:
        try:
            return inbox.get(timeout=1)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return None


class _Desk:
    """One desk's current borrowing: the test's database, services and act function."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.db: Database | None = None
        self.services: Services | None = None
        self.act: Callable[..., Any] | None = None
        self.broken = ""  # why open() failed: every task of this borrowing reports it

    def open(self, url: str, act: bytes) -> None:
        self.close()
        try:
            self.act = pickle.loads(act)
            self.db = Database(url)
            self.services = Services.build(self.db, FixedClock(NOW, ZoneInfo(ZONE)))
        except Exception:
            self.broken = traceback.format_exc()

    def close(self) -> None:
        if self.db is not None:
            self.db.dispose()
        self.db = self.services = self.act = None
        self.broken = ""

    def run(self, task: Any, retries: _RetryCounter) -> Result:
        if self.broken or self.act is None:
            return Result(self.index, task, "error", error=self.broken or "desk not opened")
        retries.seen = []
        started = time.perf_counter()
        try:
            value = self.act(self.services, self.index, task)
            status, error = "ok", ""
        except DeskError as exc:
            value, status, error = None, "refused", f"{type(exc).__name__}: {exc}"
        except Exception:
            value, status, error = None, "error", traceback.format_exc()
        seconds = time.perf_counter() - started
        seen = tuple(retries.seen)
        return Result(self.index, task, status, value, error, len(seen), seconds, seen)


def _serve(index: int, barrier: Any, inbox: Any, out: Any) -> None:
    """One desk process: open, race (wait at the barrier, run the task), close; repeat."""
    retries = _RetryCounter()
    retry_log = logging.getLogger("desk.services.core.retry")
    retry_log.addHandler(retries)
    retry_log.setLevel(logging.INFO)
    desk = _Desk(index)
    try:
        while (message := _next_message(inbox)) is not None:
            kind = message[0]
            if kind == "open":
                desk.open(message[1], message[2])
            elif kind == "close":
                desk.close()
                out.put(("closed", index))
            else:
                task = message[1]
                try:
                    barrier.wait(timeout=RESULT_TIMEOUT_S)
                except Exception as exc:
                    out.put(Result(index, task, "error", error=f"barrier: {exc!r}"))
                    continue
                out.put(desk.run(task, retries))
    finally:
        desk.close()


class PoolBroken(RuntimeError):
    """A desk died or stopped answering: the pool is stopped and not lent again."""


class Pool:
    """``processes`` desk processes (multiprocessing, spawn) sharing one barrier."""

    def __init__(self, processes: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.processes = processes
        self.healthy = True
        self.busy = False
        self._barrier = context.Barrier(processes)
        self._results = context.Queue()
        self._inboxes = [context.Queue() for _ in range(processes)]
        self._workers = [
            context.Process(
                target=_serve,
                args=(i, self._barrier, self._inboxes[i], self._results),
                daemon=True,
                name=f"desk-{i}",
            )
            for i in range(processes)
        ]
        for worker in self._workers:
            worker.start()

    def usable(self) -> bool:
        return (
            self.healthy
            and not self._barrier.broken
            and all(worker.is_alive() for worker in self._workers)
        )

    def open(self, url: str, act: Callable[..., Any]) -> None:
        """Every desk opens ``url`` and will run ``act``; raises if ``act`` can't be pickled."""
        pickled = pickle.dumps(act)  # here, not in a queue's feeder thread where it'd hang
        for inbox in self._inboxes:
            inbox.put(("open", url, pickled))

    def _collect(self, count: int, what: str) -> list[Any]:
        got: list[Any] = []
        deadline = time.monotonic() + RESULT_TIMEOUT_S
        while len(got) < count:
            try:
                got.append(self._results.get(timeout=1))
            except queue.Empty:
                dead = [w.name for w in self._workers if not w.is_alive()]
                if dead or time.monotonic() > deadline:
                    self.healthy = False
                    raise PoolBroken(
                        f"desks {dead or 'all'} stopped answering; got {len(got)} of {count} {what}"
                    ) from None
        return got

    def race(self, tasks: list[Any]) -> list[Result]:
        """Give desk i ``tasks[i]``; they start together; their results, by desk."""
        assert len(tasks) == self.processes, (len(tasks), self.processes)
        for inbox, task in zip(self._inboxes, tasks, strict=True):
            inbox.put(("task", task))
        results: list[Result] = self._collect(len(tasks), "results")
        return sorted(results, key=lambda r: r.worker)

    def give_back(self) -> None:
        """Every desk disposes its database; waits until all have (the test drops it next)."""
        for inbox in self._inboxes:
            inbox.put(("close",))
        try:
            acks = self._collect(self.processes, "acknowledgements of close")
        except PoolBroken:
            return
        if sorted(acks) != [("closed", i) for i in range(self.processes)]:
            self.healthy = False  # something else was waiting in the queue: don't trust it

    def stop(self) -> None:
        """Tell every desk to stop; kill those that haven't within a few seconds."""
        self.healthy = False
        for inbox in self._inboxes:
            inbox.put(None)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for worker in self._workers:
            worker.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                worker.kill()
                worker.join(timeout=5)


_POOLS: dict[int, Pool] = {}


def borrow(processes: int) -> tuple[Pool, bool]:
    """A pool of ``processes`` desks and whether it is this test's own (stop it when done).

    The shared pool if it is healthy and free; a new shared one if it went
    wrong; a private one if the shared one is lent already (nested Desks)."""
    pool = _POOLS.get(processes)
    if pool is not None and not pool.busy and not pool.usable():
        pool.stop()
        pool = None
    if pool is None:
        pool = _POOLS[processes] = Pool(processes)
    elif pool.busy:
        return Pool(processes), True
    pool.busy = True
    return pool, False


def give_back(pool: Pool, own: bool) -> None:
    """The end of a test's borrowing: its desks close the database; a bad pool is stopped."""
    if pool.usable():
        pool.give_back()
    pool.busy = False
    if own or not pool.usable():
        pool.stop()
        if _POOLS.get(pool.processes) is pool:
            del _POOLS[pool.processes]


@atexit.register
def _stop_all() -> None:
    for pool in list(_POOLS.values()):
        pool.stop()
    _POOLS.clear()
