"""Where Desk keeps its files on this workstation."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Desk"
DATABASE_URL_ENV = "DESK_DATABASE_URL"


def data_dir() -> Path:
    """The per-user data folder (created if missing)."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """The per-user log folder (created if missing)."""
    path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """The local SQLite file used when no URL is given."""
    return f"sqlite:///{data_dir() / 'desk.sqlite3'}"


def resolve_database_url(explicit: str | None) -> str:
    """``--database`` wins, then ``DESK_DATABASE_URL``, then the local file."""
    if explicit:
        return explicit
    from_env = os.environ.get(DATABASE_URL_ENV, "").strip()
    return from_env or default_database_url()
