"""Other desks' changes on this desk's screens, within a second.

The services' ChangeFollower reads the change log on a thread of its own; this
object hands each batch to the GUI thread (a queued signal) and publishes it on
the change hub with no origin, so every screen treats it as it treats a change
made here: reload if shown, else mark itself stale.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desk.services.core.change_feed import ChangeFeed
from desk.services.core.change_follower import ChangeFollower
from desk.services.core.changes import Changes
from desk.ui.shell.change_hub import ChangeHub


class LiveChanges(QObject):
    """Follows ``feed`` from ``start()`` to ``stop()``; ``arrived`` carries each batch."""

    arrived = Signal(object)  # Changes, emitted on the follower's thread

    def __init__(self, feed: ChangeFeed, hub: ChangeHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hub = hub
        # Emitted from a thread that is not this object's: Qt queues it to the GUI thread.
        self.arrived.connect(self._publish)
        self._follower = ChangeFollower(feed, self.arrived.emit)

    def start(self) -> LiveChanges:
        self._follower.start()
        return self

    def stop(self) -> None:
        self._follower.stop()

    def _publish(self, changes: Changes) -> None:
        self._hub.publish(changes, None)
