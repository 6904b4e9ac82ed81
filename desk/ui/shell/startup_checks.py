"""Start-up housekeeping off the GUI thread: bill plan periods due by today, expire old
credits, reconcile the ledger."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from desk.services.container import Services
from desk.services.core.actor import start_up
from desk.services.core.changes import Changes
from desk.services.core.clock import today

log = logging.getLogger(__name__)


class StartupChecks(QObject):
    """Runs once after the window shows; results come back by queued signal.

    Reconciling every lot against its entries takes about half a second at
    100,000 members, too long for the GUI thread (docs/design.md, UI conventions).
    """

    expired = Signal(object)  # Changes
    finished = Signal(list)  # list[str]: ledger problems, empty when all is well

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="desk-startup-checks", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            # The file's quick_check reads every page (5 s at 100,000 members): it is
            # the day's housekeeping's (daily_housekeeping.py), once a day, not every start's.
            problems: list[str] = []
            # The day's billing: the first desk to start today bills what is due (each
            # period once, whichever desk gets there first); later starts find nothing.
            on = today(self._services.clock)
            changes: Changes = self._services.sales.run_billing(
                through=on, actor=start_up()
            ).changes
            changes = changes.merge(self._services.credits.expire_due(actor=start_up()).changes)
            self.expired.emit(changes)
            problems += self._services.credits.verify_ledger()
        except Exception as exc:  # a check that crashes must not take the app down
            log.exception("start-up checks failed")
            problems = [f"the start-up check could not run: {exc}"]
        for problem in problems:
            log.error("ledger: %s", problem)
        self.finished.emit(problems)
