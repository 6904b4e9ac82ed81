"""SIGKILL at random moments: a large import and a booking loop, killed again and again (SQLite).

A child process (forked from a preloaded forkserver, so a start costs
milliseconds, not an interpreter's import time) imports 20,000-row credit
files one after another, or books, cancels and adjusts in a loop; the test
kills it with SIGKILL at a random moment, then checks the file as the next
start of Desk would find it: ``PRAGMA integrity_check`` is ok, every import
batch is whole (as many lots as the batch says) or absent (no lot and no
batch row), every lot's cache equals its ledger and no lot is negative.
``pytest -s`` prints how many kills it survived and where they landed.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from desk.db import Database, open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM

pytestmark = pytest.mark.sqlite_only

IMPORT_KILLS = 24
BOOKING_KILLS = 16
ROWS = 20_000
MEMBERS = 500
KILLS_PER_FILE = 6  # then the import test starts again from the seeded file, to keep it small
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/New_York")

# What a child was doing, shared with the parent so each kill can be told apart.
STARTING, READING, WRITING, BETWEEN = 0, 1, 2, 3
PHASES = {
    STARTING: "starting",
    READING: "checking the file",  # parsing, then matching members inside the transaction
    WRITING: "writing",
    BETWEEN: "between runs",
}


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["desk.services.container", "sqlalchemy.dialects.sqlite"])
    return context


def _services(url: str) -> tuple[Database, Services]:
    db = Database(url)
    return db, Services.build(db, FixedClock(NOW, ZONE))


def _credits_file(run: str) -> bytes:
    lines = ["Client ID,Service,Credits,Expiration,Note"]
    lines += [
        f"M{i % MEMBERS},Personal training,{1 + i % 3},2026-12-31,{run} row {i}"
        for i in range(ROWS)
    ]
    return ("\n".join(lines) + "\n").encode()


# --- the children ------------------------------------------------------------------------------


def _import_forever(url: str, phase: Any, finished: Any) -> None:
    """Import one new 20,000-row file after another until killed."""
    _db, services = _services(url)
    run = 0
    while True:
        data = _credits_file(f"{os.getpid()}-{run}")
        phase.value = READING

        def progress(done: int, total: int) -> None:
            phase.value = WRITING

        report = services.imports.import_credits(data, progress=progress, actor=SYSTEM).value
        assert report.written, report.problems[:3]
        phase.value = BETWEEN
        finished.value += 1
        run += 1


def _book_forever(url: str, seed: int, phase: Any, finished: Any) -> None:
    """Book, cancel and adjust at random until killed."""
    _db, services = _services(url)
    rng = random.Random(seed)
    booked: list[int] = []
    kind = AppointmentTypeId(1)
    while True:
        phase.value = WRITING
        member = MemberId(rng.randint(1, 20))
        roll = rng.random()
        try:
            if roll < 0.65 or not booked:
                starts = datetime(2026, 4, 1, 6, tzinfo=ZONE) + timedelta(
                    minutes=90 * rng.randrange(200_000)
                )
                appt = services.booking.book(
                    member_id=member,
                    appointment_type_id=kind,
                    staff_id=StaffId(rng.randint(1, 3)),
                    starts_at=starts,
                    actor=SYSTEM,
                ).value
                booked.append(appt.id)
            elif roll < 0.9:
                services.booking.cancel(
                    AppointmentId(booked.pop(rng.randrange(len(booked)))), actor=SYSTEM
                )
            else:
                services.credits.adjust(
                    member_id=member,
                    appointment_type_id=kind,
                    delta=rng.choice([-1, 1]),
                    reason="crash test",
                    actor=SYSTEM,
                )
        except DeskError:
            pass  # no credit left, a busy coach: a clean refusal, nothing written
        phase.value = BETWEEN
        finished.value += 1


# --- what must hold after every kill -------------------------------------------------------------


def _check_after_kill(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        lots_per_batch = dict(
            conn.execute(
                "SELECT import_batch, count(*) FROM credit_lots"
                " WHERE import_batch IS NOT NULL GROUP BY import_batch"
            ).fetchall()
        )
        batches = dict(
            conn.execute(
                "SELECT id, rows_imported FROM import_batches WHERE kind = 'credits'"
            ).fetchall()
        )
        members_per_batch = conn.execute(
            "SELECT b.rows_imported, count(m.id) FROM import_batches b"
            " LEFT JOIN members m ON m.import_batch = b.id WHERE b.kind = 'members' GROUP BY b.id"
        ).fetchall()
        stray_members = conn.execute(
            "SELECT count(*) FROM members m WHERE m.import_batch IS NOT NULL AND NOT EXISTS"
            " (SELECT 1 FROM import_batches b WHERE b.id = m.import_batch)"
        ).fetchone()
        grants = conn.execute(
            "SELECT count(*) FROM credit_entries e JOIN credit_lots l ON l.id = e.lot_id"
            " WHERE l.import_batch IS NOT NULL AND e.kind = 'grant'"
        ).fetchone()[0]
        negative = conn.execute("SELECT count(*) FROM credit_lots WHERE remaining < 0").fetchone()
        paid = conn.execute("SELECT count(*) FROM appointments WHERE lot_id IS NOT NULL").fetchone()
        debits = conn.execute("SELECT count(*) FROM credit_entries WHERE kind = 'book'").fetchone()
    finally:
        conn.close()
    # Every batch whole (its row and all its lots) or absent (neither).
    assert set(lots_per_batch) == set(batches)
    for batch, rows in batches.items():
        assert lots_per_batch[batch] == rows == ROWS, batch
    assert grants == sum(lots_per_batch.values())
    assert all(rows == count for rows, count in members_per_batch)
    assert stray_members == (0,)
    assert negative == (0,)
    assert paid == debits
    db, services = _services(f"sqlite:///{path}")
    try:
        assert services.credits.verify_ledger() == []
    finally:
        db.dispose()
    return {"batches": len(batches)}


def _kill_at_random(
    context: Any, target: Any, args: tuple[Any, ...], wait: float, rng: random.Random
) -> tuple[str, int]:
    """Start a child, let it work a random while, SIGKILL it; where it was and runs it finished."""
    phase = context.Value("i", STARTING)
    finished = context.Value("i", 0)
    child = context.Process(target=target, args=(*args, phase, finished), daemon=True)
    child.start()
    time.sleep(rng.uniform(0.0, wait))
    where = PHASES[phase.value]
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL, "the child died on its own: see its output"
    return where, finished.value


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture
def seeded(tmp_path: Path, clock: FixedClock) -> Path:
    """A gym file with 500 members (M0..M499), one type, three coaches."""
    path = tmp_path / "seed.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        services = Services.build(db, clock)
        services.appointment_types.create(
            name="Personal training", duration_minutes=60, actor=SYSTEM
        )
        for name in ("Kim", "Lee", "Max"):
            services.staff.create(name=name, actor=SYSTEM)
        members = "Client ID,First name,Last name\n" + "".join(
            f"M{i},Member,Number{i}\n" for i in range(MEMBERS)
        )
        assert services.imports.import_members(members.encode(), actor=SYSTEM).value.written
        for member in range(1, 21):
            services.credits.add_credits(
                member_id=MemberId(member),
                appointment_type_id=AppointmentTypeId(1),
                quantity=40,
                expires_on=None,
                actor=SYSTEM,
            )
    finally:
        db.dispose()
    return path


def test_killing_a_large_import_leaves_every_batch_whole_or_absent(
    seeded: Path, tmp_path: Path
) -> None:
    context = _context()
    rng = random.Random(11)
    path = tmp_path / "desk.sqlite3"
    where: Counter[str] = Counter()
    survived = imports_done = most_batches = 0
    started = time.perf_counter()
    for kill in range(IMPORT_KILLS):
        if kill % KILLS_PER_FILE == 0:
            path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            shutil.copy(seeded, path)  # the seed is closed: a plain copy is a whole file
        landed, finished = _kill_at_random(
            context, _import_forever, (f"sqlite:///{path}",), wait=2.5, rng=rng
        )
        where[landed] += 1
        imports_done += finished
        found = _check_after_kill(path)
        most_batches = max(most_batches, found["batches"])
        survived += 1
    seconds = time.perf_counter() - started
    print(
        f"\n[import] survived {survived} of {IMPORT_KILLS} SIGKILLs of a {ROWS:,}-row import "
        f"(killed while {dict(where)}); {imports_done} imports finished between kills, up to "
        f"{most_batches} whole batches in one file; {seconds:.1f} s"
    )
    assert survived == IMPORT_KILLS
    # The kills must have landed in the middle of writing too, or the test proves little.
    assert where["writing"] >= 3, where


def test_killing_a_booking_loop_keeps_the_ledger_whole(seeded: Path, tmp_path: Path) -> None:
    context = _context()
    rng = random.Random(5)
    path = tmp_path / "desk.sqlite3"
    shutil.copy(seeded, path)
    where: Counter[str] = Counter()
    survived = steps = 0
    started = time.perf_counter()
    for kill in range(BOOKING_KILLS):
        landed, finished = _kill_at_random(
            context, _book_forever, (f"sqlite:///{path}", kill), wait=0.6, rng=rng
        )
        where[landed] += 1
        steps += finished
        _check_after_kill(path)
        survived += 1
    seconds = time.perf_counter() - started
    conn = sqlite3.connect(path)
    try:
        booked = conn.execute("SELECT count(*) FROM appointments").fetchone()[0]
    finally:
        conn.close()
    print(
        f"\n[booking] survived {survived} of {BOOKING_KILLS} SIGKILLs of a booking loop "
        f"(killed while {dict(where)}); {steps} steps done, {booked} appointments; "
        f"{seconds:.1f} s"
    )
    assert survived == BOOKING_KILLS
    assert steps > 0
