"""The GUI-thread collector: automatic collection off while it runs, cycles collected
by its timer on the GUI thread, and automatic collection back when it stops."""

from __future__ import annotations

import gc
import threading
import weakref

from desk.ui.shell.gui_gc import GuiThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_the_timer_collects_cycles_on_the_gui_thread(qapp, qtbot):
    was, thresholds = gc.isenabled(), gc.get_threshold()
    gc.enable()
    collector = GuiThreadCollector().start()
    try:
        assert not gc.isenabled()
        freed_in: list[str] = []
        node = _Node()
        weakref.finalize(node, lambda: freed_in.append(threading.current_thread().name))
        del node
        gc.set_threshold(1, 1, 1)  # due at once
        for _ in range(5):
            _Node()  # more garbage, so the counts pass the thresholds
        qtbot.waitUntil(lambda: bool(freed_in), timeout=5000)
        assert freed_in == [threading.main_thread().name]
    finally:
        gc.set_threshold(*thresholds)
        collector.stop()
    assert gc.isenabled()
    if not was:
        gc.disable()
