"""A worker thread that follows the change log and hands other desks' changes on.

The loop waits on the feed's waiter (NOTIFY on PostgreSQL, data_version on SQLite),
then reads the log after the last id it saw. It also reads every ``every`` seconds
whatever the waiter says, so a missed notification costs at most that long. When
the listening connection breaks (the server restarts, the network drops), it waits
a moment, connects again and catches up from the log: nothing is lost in between,
because the log, not the notification, says what changed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from desk.services.core.change_feed import ChangeFeed, ChangeWaiter, FeedLost
from desk.services.core.changes import Changes

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class ChangeFollower:
    """Calls ``deliver(changes)`` (on its own thread) for each batch of other desks'
    changes committed after it started; ``stop()`` ends it within a second."""

    def __init__(
        self, feed: ChangeFeed, deliver: Callable[[Changes], None], *, every: float = 2.0
    ) -> None:
        self._feed = feed
        self._deliver = deliver
        self._every = every
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="desk-change-follower", daemon=True)
        self.last_id = feed.latest_id()
        self.reconnects = 0
        """How many times the listening connection was made again (for tests and logs)."""

    def start(self) -> ChangeFollower:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        waiter: ChangeWaiter | None = None
        while not self._stopping.is_set():
            try:
                if waiter is None:
                    waiter = self._feed.waiter()
                self._wait(waiter)
                self._catch_up()
            except FeedLost as exc:
                log.warning("Lost the change feed (%s); reconnecting", exc)
                _close(waiter)
                waiter = None
                self.reconnects += 1
                self._stopping.wait(RETRY_SECONDS)
            except Exception:  # a read failed: the database is away; try again soon
                log.exception("Reading the change log failed; trying again")
                _close(waiter)
                waiter = None
                self._stopping.wait(RETRY_SECONDS)
        _close(waiter)

    def _wait(self, waiter: ChangeWaiter) -> None:
        # Short waits, so stop() is answered quickly; reading at least every ``every``.
        waited = 0.0
        while waited < self._every and not self._stopping.is_set():
            if waiter.wait(min(0.5, self._every - waited)):
                return
            waited += 0.5

    def _catch_up(self) -> None:
        while not self._stopping.is_set():
            read = self._feed.read_since(self.last_id)
            more = read.last_id > self.last_id
            self.last_id = read.last_id
            if not read.changes.empty:
                self._deliver(read.changes)
            if not more:
                return


def _close(waiter: ChangeWaiter | None) -> None:
    if waiter is not None:
        try:
            waiter.close()
        except Exception:  # closing a broken connection may fail too; it is gone either way
            log.debug("closing the change waiter failed", exc_info=True)
