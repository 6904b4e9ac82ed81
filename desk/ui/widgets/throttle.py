"""A leading-edge throttle: the first call runs at once, a burst is coalesced."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Calls ``target`` now, then at most once per ``interval_ms`` with the latest value.

    Unlike a debounce there is never a delay before the first result: typing the
    first letter searches immediately, and a fast typist's next letters are
    folded into one search at the end of the interval (STYLE.md, convention 7).
    """

    def __init__(self, target: Callable[[str], None], interval_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self._target = target
        self._pending: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._flush)

    def __call__(self, value: str) -> None:
        if self._timer.isActive():
            self._pending = value
            return
        self._target(value)
        self._timer.start()

    def flush(self) -> None:
        """Run a pending call now (Enter pressed before the interval ended)."""
        if self._pending is not None:
            self._timer.stop()
            self._flush()

    def _flush(self) -> None:
        if self._pending is None:
            return
        value, self._pending = self._pending, None
        self._target(value)
        self._timer.start()
