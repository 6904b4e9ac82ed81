"""The 100,000-member gym the at-scale search tests read, built once and cached.

Its members are the demo gym's (``DemoGenerator._member``: names, addresses, phones,
member numbers, archived ones), written in plain executemany batches like the demo
writes them, so the search's trigram index fills through its triggers as it does
for any member. The search reads members alone (and each result's open credits,
which it finds through an index whatever the lots hold), so the demo's credit
history, appointments and schedule are left out: building the whole demo gym took
about 90 s at this size, the members alone take about 8 s of CPU.

The file is kept in the user's cache folder (``DESK_TEST_CACHE`` moves it) under a
name made from everything that decides its contents: the schema head, the size, the
seed, LAYOUT and the demo generator's own source. A change to any of them builds a
new one.
"""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

import desk.services.records as records
from desk.db import Database, open_database
from desk.migrations import HEAD_REVISION
from desk.models import Member
from desk.services.core.clock import FixedClock
from desk.services.records.demo import DemoGenerator, _bulk_insert
from tests.conftest import GYM_TZ

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
LAYOUT = "members-1"  # what _write_members puts in the file; change it when that changes
BATCH = 5_000


def clock() -> FixedClock:
    return FixedClock(NOW, GYM_TZ)


def _key(members: int, seed: int) -> str:
    digest = hashlib.sha256(f"{HEAD_REVISION}-{members}-{seed}-{NOW.isoformat()}-{LAYOUT}".encode())
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
        _write_members(db, members, seed)
    finally:
        db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    return path


def _write_members(db: Database, members: int, seed: int) -> None:
    """The demo gym's members, numbered 1..members, in one transaction."""
    rng = random.Random(seed)
    now = NOW.replace(microsecond=0)
    with db.write() as session:
        session.connection().exec_driver_sql("PRAGMA cache_size=-262144")  # as the demo
        for first in range(1, members + 1, BATCH):
            batch = range(first, min(first + BATCH, members + 1))
            _bulk_insert(session, Member, [DemoGenerator._member(rng, n, now) for n in batch])


def private_copy(source: Path, target: Path) -> Path:
    """A copy for one test module (SQLite's backup API: consistent, whatever the mode)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target
