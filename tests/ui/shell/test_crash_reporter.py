"""Unhandled errors: logged with their traceback, a dialog names the log, the app goes on."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from desk.logging_setup import configure_logging, stop_logging
from desk.services.core.errors import InsufficientCredits
from desk.ui.shell.crash_reporter import CrashReporter


@pytest.fixture
def log_file(tmp_path):
    path = configure_logging(tmp_path / "logs")
    yield path
    stop_logging()


@pytest.fixture
def reporter(qapp, log_file):
    reporter = CrashReporter(log_file)
    reporter.install()
    yield reporter
    reporter.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()


def raise_later(error: BaseException) -> None:
    def fail() -> None:
        raise error

    QTimer.singleShot(0, fail)


def shown_dialog(reporter: CrashReporter) -> QMessageBox:
    dialog = reporter.dialog
    assert dialog is not None
    return dialog


def test_an_error_in_a_slot_shows_what_happened_and_the_log(qtbot, reporter, log_file):
    raise_later(ValueError("the printer is on fire"))

    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = shown_dialog(reporter)
    assert dialog.objectName() == "crashDialog"
    assert "ValueError: the printer is on fire" in dialog.text()
    assert str(log_file) in dialog.informativeText()
    assert "still running" in dialog.informativeText()
    assert "Traceback" in dialog.detailedText()
    log_text = log_file.read_text(encoding="utf-8")
    assert "Unhandled exception" in log_text
    assert "ValueError: the printer is on fire" in log_text


def test_the_event_loop_keeps_running_after_an_error(qtbot, reporter):
    raise_later(RuntimeError("boom"))
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True])
    shown_dialog(reporter).accept()
    qtbot.waitUntil(lambda: reporter.dialog is None)


def test_errors_while_the_dialog_is_open_are_counted_not_stacked(qtbot, qapp, reporter):
    raise_later(RuntimeError("first"))
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    raise_later(RuntimeError("second"))
    raise_later(RuntimeError("third"))
    qtbot.waitUntil(lambda: reporter.more == 2)

    dialogs = [w for w in qapp.topLevelWidgets() if w.objectName() == "crashDialog"]
    assert len(dialogs) == 1
    assert "first" in shown_dialog(reporter).text()
    assert "2 more error(s)" in shown_dialog(reporter).informativeText()


def test_an_error_on_a_worker_thread_is_shown_on_the_gui_thread(qtbot, reporter, log_file):
    def work() -> None:
        raise OSError("disk went away")

    worker = threading.Thread(target=work, name="desk-test-worker")
    worker.start()
    worker.join()

    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert "OSError: disk went away" in shown_dialog(reporter).text()
    assert "desk-test-worker" in log_file.read_text(encoding="utf-8")


def test_a_domain_error_shows_its_own_words(qtbot, reporter):
    raise_later(InsufficientCredits("Ann has no Personal Training credits left."))
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    assert shown_dialog(reporter).text() == (
        "Something went wrong: Ann has no Personal Training credits left."
    )


def test_uninstall_gives_the_hooks_back(qapp, log_file):
    before, before_thread = sys.excepthook, threading.excepthook
    reporter = CrashReporter(log_file)
    reporter.install()
    assert sys.excepthook == reporter.handle
    reporter.uninstall()
    assert sys.excepthook is before
    assert threading.excepthook is before_thread


def test_ctrl_c_is_not_reported(qtbot, reporter, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "__excepthook__", lambda *args: seen.append(args[0]))
    reporter.handle(KeyboardInterrupt, KeyboardInterrupt(), None)
    qtbot.wait(20)
    assert seen == [KeyboardInterrupt]
    assert reporter.dialog is None
