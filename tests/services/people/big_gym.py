"""The 100,000-member demo gym the at-scale search tests read, built once and cached.

Building it takes about 90 s; the file is kept in the user's cache folder
(``DESK_TEST_CACHE`` moves it) under a name made from everything that decides
its contents: the schema head, the size, the seed and the demo generator's own
source. A change to any of them builds a new one.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

import desk.services.records as records
from desk.db import open_database
from desk.migrations import HEAD_REVISION
from desk.services.core.clock import FixedClock
from desk.services.records.demo import DemoGenerator
from tests.conftest import GYM_TZ

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def clock() -> FixedClock:
    return FixedClock(NOW, GYM_TZ)


def _key(members: int, seed: int) -> str:
    digest = hashlib.sha256(f"{HEAD_REVISION}-{members}-{seed}-{NOW.isoformat()}".encode())
    for source in sorted(Path(records.__file__).parent.glob("demo*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cached_gym(members: int, seed: int) -> Path:
    """The cached database file, built first when it is missing."""
    folder = Path(os.environ.get("DESK_TEST_CACHE") or platformdirs.user_cache_dir("Desk"))
    folder = folder / "tests"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gym-{members}-{_key(members, seed)}.sqlite3"
    if path.exists():
        return path
    # Built under a name of its own and renamed: two test runs at once never see half.
    partial = folder / f"{path.stem}.{os.getpid()}.partial"
    db = open_database(f"sqlite:///{partial}")
    try:
        summary = DemoGenerator(db, clock()).generate(members=members, seed=seed)
        assert summary.members == members
    finally:
        db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    return path


def private_copy(source: Path, target: Path) -> Path:
    """A copy for one test module (SQLite's backup API: consistent, whatever the mode)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target
