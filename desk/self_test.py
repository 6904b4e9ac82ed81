"""``desk --self-test``: drive the real app on a throw-away database and say what happened.

It is the smoke test of an installed or frozen Desk: a bundle that lacks a
module, a Qt plugin, a migration or the icon fails here, with the step that
failed named, instead of at a front desk. Nothing of the user's is touched:
the database, the settings and the log live in a temporary folder that is
removed afterwards.

Steps: migrate a new SQLite file, write a demo gym, open the main window
(offscreen when there is no display), search a member by typing into the
search bar, open their profile, book one appointment and cancel it through the
services while the profile follows along, let an unhandled error reach the
crash reporter (the dialog shows and the app carries on), reconcile the ledger.
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QEvent, QMessageLogContext, QtMsgType
from PySide6.QtWidgets import QApplication

from desk import __version__
from desk.self_test_steps import SelfTestSteps
from desk.self_test_support import SelfTestFailure, StepState, wait_until
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.crash_reporter import CrashReporter
from desk.ui.shell.main_window import MainWindow
from desk.ui.shell.qt_messages import level_of, log_qt_message

__all__ = ["SelfTest", "SelfTestFailure", "run_self_test", "wait_until"]

REPORT_NAME = "self-test.txt"
# What the offscreen platform says about every top-level window (as in pyproject.toml).
HARMLESS_QT = re.compile(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step, printing one line each; 0 when all passed, 1 at the first failure."""
    report: TextIO | None = None
    if out is None:
        if sys.stdout is not None:
            out = sys.stdout
        else:  # a windowed Windows bundle started without handles: write a report file
            out = report = (Path(tempfile.gettempdir()) / f"desk-{REPORT_NAME}").open(
                "w", encoding="utf-8"
            )
    try:
        # Windows may hold a file a moment longer; a leftover temp folder is no failure.
        with tempfile.TemporaryDirectory(
            prefix="desk-self-test-", ignore_cleanup_errors=True
        ) as folder:
            return SelfTest(out, Path(folder)).run()
    finally:
        if report is not None:
            report.close()


class SelfTest(SelfTestSteps):
    def __init__(self, out: TextIO, workdir: Path) -> None:
        self._out = out
        self._workdir = workdir
        self._state = StepState()
        self._hub = ChangeHub()
        self._window: MainWindow | None = None
        self._reporter: CrashReporter | None = None
        self._type_id = 0

    def run(self) -> int:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("environment", self.environment),
            ("database and migrations", self.database),
            ("demo gym", self.demo),
            ("main window", self.main_window),
            ("start-up checks", self.startup_checks),
            ("search bar", self.search),
            ("member profile", self.profile),
            ("book an appointment", self.book),
            ("cancel it", self.cancel),
            ("crash reporter", self.crash_reporter),
            ("ledger reconciles", self.ledger),
        ]
        self._print(f"Desk {__version__} self-test in {self._workdir}")
        started = time.perf_counter()
        try:
            for number, (title, step) in enumerate(steps, 1):
                step_started = time.perf_counter()
                try:
                    detail = step()
                except Exception as exc:
                    self._print(f"[{number:2}/{len(steps)}] {title}: FAILED: {_describe(exc)}")
                    self._print(traceback.format_exc().rstrip())
                    self._print(f"Self-test FAILED at step {number} ({title}).")
                    return 1
                ms = (time.perf_counter() - step_started) * 1000
                self._print(f"[{number:2}/{len(steps)}] {title}: {detail}  ({ms:.0f} ms)")
        finally:
            self._close()
        self._print(
            f"Self-test passed: {len(steps)} steps in {time.perf_counter() - started:.1f} s."
        )
        return 0

    def _close(self) -> None:
        for action in reversed(self._state.cleanup):
            try:
                action()
            except Exception as exc:  # cleaning up must not hide the verdict
                self._print(f"(while cleaning up: {_describe(exc)})")
        self._state.cleanup.clear()
        if QApplication.instance() is not None:
            # Let deleteLater() happen before the temp folder goes.
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _print(self, line: str) -> None:
        print(line, file=self._out, flush=True)

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        log_qt_message(kind, context, message)
        if level_of(kind) >= logging.WARNING and not HARMLESS_QT.search(message):
            self._print(f"        Qt: {message}")


def _describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return message if isinstance(exc, SelfTestFailure) else f"{type(exc).__name__}: {message}"
