"""What the self-test's steps share: its failure, waiting on the event loop, the state
one step leaves for the next, and the filters that keep its noise off the console."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from desk.db import Database
from desk.logging_setup import log_file
from desk.services.container import Services
from desk.services.core.read_models import AppointmentView, BalanceRow, MemberMatch

DEMO_MEMBERS = 50
DEMO_SEED = 8
WAIT_SECONDS = 20.0
BOOK_WITHIN_DAYS = 30


class SelfTestFailure(Exception):
    """A step saw something other than what it expected."""


def needs_offscreen() -> bool:
    """No display to show a window on: Linux/BSD without X11 or Wayland."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform in ("win32", "darwin"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    """Let the event loop run until ``condition()`` holds; SelfTestFailure after ``timeout``."""
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while not condition():
        if time.monotonic() > deadline:
            raise SelfTestFailure(f"gave up after {timeout:.0f} s waiting for {what}")
        QTimer.singleShot(10, loop.quit)
        loop.exec()


@dataclass
class StepState:
    """What one step leaves for the next."""

    db: Database | None = None
    services: Services | None = None
    member: MemberMatch | None = None
    kind: BalanceRow | None = None
    appointment: AppointmentView | None = None
    log_file: Path | None = None
    cleanup: list[Callable[[], object]] = field(default_factory=list)


class ConsoleFilter(logging.Filter):
    """Keeps Qt chatter and the self-test's deliberate crash off the terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(("desk.qt", "desk.crash"))


def is_file_handler(handler: logging.Handler) -> bool:
    current = log_file()
    return (
        isinstance(handler, logging.FileHandler)
        and current is not None
        and (Path(handler.baseFilename) == current)
    )


def root_handlers() -> list[logging.Handler]:
    return list(logging.getLogger().handlers)
