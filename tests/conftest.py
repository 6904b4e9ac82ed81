"""Shared fixtures: a real SQLite file per test, a clock that stands still."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# Qt must never need a display in tests; set before anything imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desk.db import Database, open_database
from desk.services.clock import FixedClock
from desk.services.container import Services

GYM_TZ = ZoneInfo("America/New_York")


@pytest.fixture
def clock() -> FixedClock:
    """Wednesday 2026-03-04 15:00 UTC (10:00 in New York)."""
    return FixedClock(datetime(2026, 3, 4, 15, 0, tzinfo=UTC), GYM_TZ)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.sqlite3'}"


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = open_database(db_url)
    yield db
    db.dispose()


@pytest.fixture
def services(database: Database, clock: FixedClock) -> Services:
    return Services.build(database, clock)
