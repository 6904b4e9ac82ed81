"""One signal hub for "something changed" (STYLE.md, convention 4)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desk.services.core.changes import Changes


class ChangeHub(QObject):
    """The UI fires ``changed`` after every successful service call that wrote.

    Services know nothing of Qt; each screen listens here and decides from the
    ``Changes`` record whether it needs to reload. No screen reaches into
    another to refresh it.

    The second argument is the origin: the screen or dialog whose operation made the
    change (None for start-up checks and other desks), so that screen can skip the
    reload it already did itself.
    """

    changed = Signal(object, object)  # Changes, origin (QObject | None)

    def publish(self, changes: Changes, origin: QObject | None = None) -> None:
        if not changes.empty:
            self.changed.emit(changes, origin)
