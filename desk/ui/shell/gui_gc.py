"""Python's garbage collector runs on the GUI thread only.

The collector runs in whichever thread happens to allocate when a generation is
full. When that is a worker thread (the runner's "desk-reads" or "desk-writes")
and the garbage holds Qt objects, their destructors run there: a QObject
destroyed off the GUI thread takes Qt's connection lock and then waits for the
GIL, while the GUI thread holds the GIL and waits for that lock. Both stop for
good (seen in the test suite: a window being built hung in QCalendarWidget's
constructor while the reads thread was collecting). So automatic collection is
off while the window lives, and a timer on the GUI thread collects instead, at
the thresholds Python itself would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects from a GUI-thread timer instead."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._was_enabled = gc.isenabled()

    def start(self) -> GuiThreadCollector:
        """Disable automatic collection and start the timer; returns itself."""
        gc.disable()
        self._timer.start()
        return self

    def stop(self) -> None:
        """Stop the timer and give automatic collection back as it was."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_if_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold (as the
        automatic collector would); how many objects were unreachable."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0
