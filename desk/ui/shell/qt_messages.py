"""Qt's own warnings go to Desk's log, where support will look for them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType

log = logging.getLogger("desk.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def level_of(kind: QtMsgType) -> int:
    return _LEVELS.get(kind, logging.WARNING)


def log_qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """A ``qInstallMessageHandler`` handler: one log record per Qt message."""
    log.log(level_of(kind), "%s", message)
