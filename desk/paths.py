"""Where Desk keeps its files on this workstation."""

from __future__ import annotations

import os
from pathlib import Path

# platformdirs loads when a folder is asked for: `desk --version` needs none.

APP_NAME = "Desk"
DATABASE_URL_ENV = "DESK_DATABASE_URL"


def data_dir() -> Path:
    """The per-user data folder (created if missing)."""
    import platformdirs

    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """The per-user log folder (created if missing)."""
    import platformdirs

    path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    """Where the local SQLite file lives (nothing is created by asking)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "desk.sqlite3"


def default_database_url() -> str:
    """The local SQLite file used when no URL is given (its folder is created)."""
    data_dir()
    return f"sqlite:///{default_database_path()}"


def explicit_database_url(explicit: str | None) -> str | None:
    """The URL someone named (``--database``, else ``DESK_DATABASE_URL``), or None."""
    if explicit:
        return explicit
    return os.environ.get(DATABASE_URL_ENV, "").strip() or None


def resolve_database_url(explicit: str | None) -> str:
    """``--database`` wins, then ``DESK_DATABASE_URL``, then the local file."""
    return explicit_database_url(explicit) or default_database_url()
