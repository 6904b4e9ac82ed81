"""Desk's log file: one rotating file in the per-user log folder.

The GUI calls ``configure_logging()`` at start-up; support asks the front desk
for the folder that Help > About shows. Qt-free: the crash dialog that points
at the file lives in ``desk.ui.shell.crash_reporter``.
"""

from __future__ import annotations

import logging
import platform
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from desk import __version__
from desk.paths import APP_NAME, log_dir

LOG_FILE_NAME = "desk.log"
MAX_BYTES = 1_000_000
"""Rotate at about 1 MB ..."""
BACKUP_COUNT = 5
"""... and keep five old files (desk.log.1 .. desk.log.5): at most 6 MB in all."""
FORMAT = "%(asctime)s %(levelname)-8s %(name)s [%(threadName)s] %(message)s"

_handler: RotatingFileHandler | None = None


def configure_logging(folder: Path | None = None, *, level: int = logging.INFO) -> Path:
    """Write log records at ``level`` and above to ``folder/desk.log``; return its path.

    ``folder`` defaults to ``platformdirs.user_log_dir("Desk")``. Calling it
    again replaces the file it set up before. Handlers that were already on the
    root logger (a terminal's stderr) keep showing what they showed.
    """
    global _handler
    stop_logging()
    folder = folder if folder is not None else log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    handler = RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > level:
        for existing in root.handlers:
            if existing.level == logging.NOTSET:
                existing.setLevel(root.level or logging.WARNING)
        root.setLevel(level)
    root.addHandler(handler)
    _handler = handler
    logging.getLogger("desk").info(
        "Desk %s starting: Python %s on %s%s",
        __version__,
        platform.python_version(),
        platform.platform(),
        " (frozen bundle)" if getattr(sys, "frozen", False) else "",
    )
    return path


def stop_logging() -> None:
    """Close the file that ``configure_logging`` opened (nothing if it didn't)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def log_file() -> Path | None:
    """The file Desk is logging to now, or None before ``configure_logging``."""
    return Path(_handler.baseFilename) if _handler is not None else None


def log_folder() -> Path:
    """The folder of the current log file, else where it will be (not created here)."""
    current = log_file()
    if current is not None:
        return current.parent
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
