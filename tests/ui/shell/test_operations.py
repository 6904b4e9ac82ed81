"""The OperationRunner: off the GUI thread, busy cursor only after the delay, a slow
write leaves the window working and the dialog open with its save disabled."""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desk.services.core.changes import Changes, Outcome
from desk.services.core.errors import ValidationError
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.shell.operations import OperationRunner


class _BlockedCredits:
    """The real credit service, except add_credits waits until ``release`` is set."""

    def __init__(self, real: object) -> None:
        self._real = real
        self.release = threading.Event()
        self.started = threading.Event()

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def add_credits(self, **kwargs: object) -> object:
        self.started.set()
        assert self.release.wait(30)
        return self._real.add_credits(**kwargs)  # type: ignore[attr-defined]


def test_the_busy_cursor_appears_only_after_the_delay_and_goes_away(qtbot, ctx):
    release = threading.Event()
    runner = OperationRunner(ctx.hub, busy_delay_ms=150)
    runner.run(lambda: (release.wait(30), Outcome(None, Changes()))[1])
    QApplication.processEvents()
    assert QApplication.overrideCursor() is None  # not at once
    qtbot.waitUntil(lambda: QApplication.overrideCursor() is not None, timeout=5000)
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.WaitCursor
    release.set()
    runner.wait_idle()
    assert QApplication.overrideCursor() is None


def test_a_quick_write_never_shows_the_cursor(qtbot, ctx):
    shown: list[object] = []
    runner = OperationRunner(ctx.hub, busy_delay_ms=60_000)
    runner._show_busy = lambda: shown.append(1)  # type: ignore[method-assign]
    runner.run(lambda: Outcome(None, Changes()))
    runner.wait_idle()
    assert shown == []
    assert QApplication.overrideCursor() is None


def test_a_slow_write_keeps_the_window_working_and_the_dialog_open(qtbot, desk_staff, gym):
    blocked = _BlockedCredits(desk_staff.services.credits)
    desk_staff.services = replace(desk_staff.services, credits=blocked)
    dialog = AddCreditsDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.quantity.setValue(2)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert blocked.started.wait(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)  # the event loop runs
    assert dialog.isVisible()
    assert not dialog.add_button.isEnabled()
    assert desk_staff.runner.busy
    blocked.release.set()
    desk_staff.runner.wait_idle()
    timer.stop()
    assert not dialog.isVisible()
    assert dialog.result_lot is not None
    assert dialog.result_lot.quantity == 2


def test_writes_run_in_click_order_on_one_worker(qtbot, ctx):
    seen: list[tuple[int, str]] = []
    for i in range(5):
        ctx.runner.run(
            lambda i=i: (
                seen.append((i, threading.current_thread().name)),
                Outcome(i, Changes()),
            )[1]
        )
    ctx.runner.wait_idle()
    assert [i for i, _ in seen] == [0, 1, 2, 3, 4]
    assert {name for _, name in seen} == {"desk-writes"}
    assert threading.current_thread().name not in {"desk-writes"}


def test_a_refusal_and_a_crash_are_reported_on_the_gui_thread(qtbot, ctx, message_boxes):
    refused: list[str] = []

    def refuse() -> Outcome[None]:
        raise ValidationError("quantity", "Too many.")

    def crash() -> Outcome[None]:
        raise RuntimeError("disk on fire")

    ctx.runner.run(refuse, on_refused=lambda e: refused.append(e.message))
    ctx.runner.run(crash)
    ctx.runner.wait_idle()
    assert refused == ["Too many."]
    assert any("disk on fire" in text for text in message_boxes)
