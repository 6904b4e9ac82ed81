"""Running a whole write transaction again when another desk got in its way.

Every public service method that writes does so in one ``Database.write()``
transaction. When that transaction fails because of a concurrent writer (a
PostgreSQL deadlock or serialization failure, a duplicate key another desk
inserted a moment earlier, SQLite still locked after its busy timeout, or a
``TransientConflict`` a service raises itself), the failed transaction was
rolled back whole, so calling the method again from the start writes nothing
twice. ``@retry_transient`` does that a bounded number of times with a short
random pause, then gives up with a message a front-desk person can read.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from desk.db import transient_kind
from desk.services.core.errors import DeskError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# Attempts in all, per kind of trouble. A SQLite "busy" already waited the whole
# busy timeout (15 s), so it gets one more go only; a lost race on a unique key
# is settled by the second go, which sees the winner's row.
ATTEMPTS = {"conflict": 8, "busy": 2, "unique": 2}
FIRST_PAUSE_S = 0.005
LONGEST_PAUSE_S = 0.25


class TransientConflict(Exception):
    """Mixed into an error that means "what this transaction read changed under it".

    The service raising it has written nothing that will be kept (the
    transaction rolls back), and running it again reads afresh.
    """


class DatabaseBusy(DeskError):
    """Other desks kept the database busy through every retry; nothing was saved."""


def _kind(exc: BaseException) -> str | None:
    if isinstance(exc, TransientConflict):
        return "conflict"
    return transient_kind(exc)


def retry_transient(method: Callable[P, R]) -> Callable[P, R]:
    """Call ``method`` again while it fails with a transient conflict, a bounded number of times.

    ``method`` must write in a single ``Database.write()`` transaction (each
    attempt is a fresh one; a failed attempt left nothing behind). Domain
    errors (``InsufficientCredits``, ``ValidationError``, ...) pass through at
    once. After the last attempt a domain error that is also a
    ``TransientConflict`` is raised as it is; a database conflict or busy lock
    becomes ``DatabaseBusy``; a duplicate key is raised unchanged.
    """

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        attempt = 1
        while True:
            try:
                return method(*args, **kwargs)
            except Exception as exc:
                kind = _kind(exc)
                if kind is None:
                    raise
                if attempt >= ATTEMPTS[kind]:
                    if isinstance(exc, DeskError) or kind == "unique":
                        raise
                    raise DatabaseBusy(
                        "Other desks kept the database busy and this change was not saved. "
                        "Try again in a moment."
                    ) from exc
                pause = random.uniform(0, min(LONGEST_PAUSE_S, FIRST_PAUSE_S * 2**attempt))
                log.info(
                    "%s: %s on attempt %d, running it again in %.0f ms",
                    method.__qualname__,
                    kind,
                    attempt,
                    pause * 1000,
                )
                time.sleep(pause)
                attempt += 1

    return run
