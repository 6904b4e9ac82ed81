"""SIGKILL in the middle of writes: a large import and a booking loop, killed again and again.

A child process (forked from a preloaded forkserver, so a start costs
milliseconds, not an interpreter's import time) imports 20,000-row credit
files one after another, or books, cancels and adjusts in a loop, and tells
the parent, through shared memory, every operation it saw committed and the
one it is in the middle of. It is killed with SIGKILL either at a random
moment or, to hit every point between two statements deterministically, by
itself just before its N-th SQL statement (N = 1, 2, 3, ...).

After every kill the file is checked as the next start of Desk would find it:
``integrity_check`` is ok; every lot's cached ``remaining`` is the sum of its
entries; every import batch is whole or absent; every appointment has its one
debit, every cancellation its one give-back or forfeit, every operation its one
audit row; and the operations found committed are exactly those the child
reported, plus at most the one it was in the middle of. A write split across
two transactions fails these checks at the kill between them.
``pytest -s`` prints where the kills landed.
"""

from __future__ import annotations

import contextlib
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
from sqlalchemy import event

from desk.db import Database, open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM

pytestmark = pytest.mark.sqlite_only

IMPORT_KILLS = 12  # at random moments
IMPORT_STATEMENTS = range(2, 66, 4)  # and just before these statements of the first import
BOOKING_KILLS = 16
BOOKING_STATEMENTS = range(1, 76)  # every statement of the scripted first steps
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
# The booking loop's operations: its ``done`` counters, and its phase is DOING + op
# while one runs.
BOOK, CANCEL, ADJUST = 0, 1, 2
OPS = ("book", "cancel", "adjust")
DOING = 10
SCRIPT = (BOOK, CANCEL, ADJUST, BOOK, ADJUST, BOOK, CANCEL)


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    # This module too: the child's target lives here, and importing it (and pytest with
    # it) after the fork took a third of a second of every one of the ~120 kills.
    context.set_forkserver_preload(
        ["desk.services.container", "sqlalchemy.dialects.sqlite", __name__]
    )
    return context


def _services(url: str, kill_at: int | None = None) -> tuple[Database, Services]:
    db = Database(url)
    if kill_at is not None:
        seen = 0

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_args: Any) -> None:
            nonlocal seen
            seen += 1
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    return db, Services.build(db, FixedClock(NOW, ZONE))


def _credits_file(run: str) -> bytes:
    lines = ["Client ID,Service,Credits,Expiration,Note"]
    lines += [
        f"M{i % MEMBERS},Personal training,{1 + i % 3},2026-12-31,{run} row {i}"
        for i in range(ROWS)
    ]
    return ("\n".join(lines) + "\n").encode()


# --- the children ------------------------------------------------------------------------------


def _import_forever(url: str, kill_at: int | None, phase: Any, done: Any) -> None:
    """Import one new 20,000-row file after another until killed; ``done[0]`` counts the
    imports that returned (committed)."""
    _db, services = _services(url, kill_at)
    run = 0
    while True:
        data = _credits_file(f"{os.getpid()}-{run}")
        phase.value = READING

        def progress(_done: int, _total: int) -> None:
            phase.value = WRITING

        report = services.imports.import_credits(data, progress=progress, actor=SYSTEM).value
        assert report.written, report.problems[:3]
        done[0] += 1
        phase.value = BETWEEN
        run += 1


def _book_forever(url: str, seed: int, kill_at: int | None, phase: Any, done: Any) -> None:
    """Book, cancel and adjust (the SCRIPT, then at random) until killed. ``done`` counts
    each kind of operation that returned; ``phase`` is DOING + the one running, or BETWEEN."""
    _db, services = _services(url, kill_at)
    rng = random.Random(seed)
    booked: list[int] = []
    kind = AppointmentTypeId(1)
    for step in range(10**9):
        roll = rng.random()
        if step < len(SCRIPT):
            op = SCRIPT[step]
        else:
            op = BOOK if roll < 0.65 or not booked else CANCEL if roll < 0.9 else ADJUST
        if op == CANCEL and not booked:
            op = BOOK
        member = MemberId(rng.randint(1, 20))
        phase.value = DOING + op
        try:
            if op == BOOK:
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
            elif op == CANCEL:
                services.booking.cancel(
                    AppointmentId(booked.pop(rng.randrange(len(booked)))), actor=SYSTEM
                )
            else:
                services.credits.adjust(
                    member_id=member,
                    appointment_type_id=kind,
                    delta=1 if step % 2 else -1,
                    reason="crash test",
                    actor=SYSTEM,
                )
            done[op] += 1
        except DeskError:
            pass  # no credit left, a busy coach: a clean refusal, nothing written
        phase.value = BETWEEN


# --- what must hold after every kill -------------------------------------------------------------


def _one(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _check_after_kill(path: Path) -> dict[str, int]:
    """Assert what must hold in any file a kill leaves; return the operations found."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        off_ledger = conn.execute(
            "SELECT l.id, l.remaining, coalesce(sum(e.delta), 0) FROM credit_lots l"
            " LEFT JOIN credit_entries e ON e.lot_id = l.id"
            " GROUP BY l.id HAVING l.remaining <> coalesce(sum(e.delta), 0)"
        ).fetchall()
        assert off_ledger == [], "lots whose cached remaining isn't the sum of their entries"
        assert _one(conn, "SELECT count(*) FROM credit_lots WHERE remaining < 0") == 0
        # Import batches: the batch row, its lots, their grants and its audit row, or none.
        batches = conn.execute(
            "SELECT b.id, b.rows_imported, count(l.id),"
            " (SELECT count(*) FROM credit_entries e JOIN credit_lots g ON g.id = e.lot_id"
            "  WHERE g.import_batch = b.id AND e.kind = 'grant')"
            " FROM import_batches b LEFT JOIN credit_lots l ON l.import_batch = b.id"
            " WHERE b.kind = 'credits' GROUP BY b.id"
        ).fetchall()
        assert all(rows == lots == grants == ROWS for _id, rows, lots, grants in batches), batches
        assert (
            _one(
                conn,
                "SELECT count(*) FROM credit_lots l WHERE l.import_batch IS NOT NULL AND NOT"
                " EXISTS (SELECT 1 FROM import_batches b WHERE b.id = l.import_batch)",
            )
            == 0
        )
        assert _one(conn, "SELECT count(*) FROM audit_events WHERE action = 'import.credits'") == (
            len(batches)
        )
        # Appointments: one debit each when paid; one give-back or forfeit once cancelled.
        assert (
            _one(
                conn,
                "SELECT count(*) FROM appointments a WHERE a.lot_id IS NOT NULL AND"
                " (SELECT count(*) FROM credit_entries e WHERE e.appointment_id = a.id"
                "  AND e.kind = 'book') <> 1",
            )
            == 0
        )
        paid = "SELECT count(*) FROM appointments WHERE lot_id IS NOT NULL"
        entries = "SELECT count(*) FROM credit_entries WHERE kind IN "
        assert _one(conn, entries + "('book')") == _one(conn, paid)
        assert _one(conn, entries + "('release', 'forfeit')") == _one(
            conn, paid + " AND status IN ('cancelled', 'late_cancelled')"
        )
        found = {
            "batches": len(batches),
            "book": _one(conn, "SELECT count(*) FROM appointments"),
            "cancel": _one(
                conn,
                "SELECT count(*) FROM appointments WHERE status IN ('cancelled', 'late_cancelled')",
            ),
            "adjust": _one(
                conn, "SELECT count(*) FROM audit_events WHERE action = 'credits.adjust'"
            ),
        }
        audited = "SELECT count(*) FROM audit_events WHERE action = "
        assert _one(conn, audited + "'appointment.book'") == found["book"]
        assert _one(conn, audited + "'appointment.cancel'") == found["cancel"]
        adjusted_by_audit = _one(
            conn,
            "SELECT coalesce(sum(json_extract(after, '$.delta')), 0) FROM audit_events"
            " WHERE action = 'credits.adjust'",
        )
        adjusted = "SELECT coalesce(sum(delta), 0) FROM credit_entries WHERE kind = 'adjust'"
        assert adjusted_by_audit == _one(conn, adjusted)
    finally:
        conn.close()
    db, services = _services(f"sqlite:///{path}")
    try:
        assert services.credits.verify_ledger() == []
    finally:
        db.dispose()
    return found


def _kill(
    context: Any, target: Any, args: tuple[Any, ...], *, wait: float | None, rng: random.Random
) -> tuple[int, list[int]]:
    """Start a child; SIGKILL it after a random while (``wait``), or let it kill itself
    (its ``kill_at`` statement). Returns its phase then and the operations it reported."""
    phase = context.Value("i", STARTING, lock=False)  # no lock a kill could leave held
    done = context.Array("i", len(OPS), lock=False)
    child = context.Process(target=target, args=(*args, phase, done), daemon=True)
    child.start()
    if wait is not None:
        time.sleep(rng.uniform(0.0, wait))
        assert child.pid is not None
        with contextlib.suppress(ProcessLookupError):  # it died on its own: said below
            os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=120)
    assert child.exitcode == -signal.SIGKILL, "the child died on its own: see its output"
    return phase.value, list(done)


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
    url = f"sqlite:///{path}"
    where: Counter[str] = Counter()
    plans = [(None, 2.5)] * IMPORT_KILLS + [(n, None) for n in IMPORT_STATEMENTS]
    committed = in_flight_landed = 0
    for kill, (kill_at, wait) in enumerate(plans):
        if kill % KILLS_PER_FILE == 0:
            path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            shutil.copy(seeded, path)  # the seed is closed: a plain copy is a whole file
            committed = 0
        phase, done = _kill(context, _import_forever, (url, kill_at), wait=wait, rng=rng)
        where[PHASES[phase]] += 1
        found = _check_after_kill(path)["batches"]
        # The child's reported imports, and maybe the one it was in: it may have
        # committed without living to say so.
        assert found - committed in (done[0], done[0] + 1), (kill, found, committed, done)
        in_flight_landed += found - committed - done[0]
        committed = found
    print(
        f"\n[import] {len(plans)} SIGKILLs of a {ROWS:,}-row import, each file checked "
        f"(killed while {dict(where)}); {in_flight_landed} killed after committing, "
        "before saying so"
    )
    # The kills must have landed in the middle of writing too, or the test proves little.
    assert where["writing"] >= 3, where


def test_killing_a_booking_loop_keeps_the_ledger_whole(seeded: Path, tmp_path: Path) -> None:
    context = _context()
    rng = random.Random(5)
    path = tmp_path / "desk.sqlite3"
    url = f"sqlite:///{path}"
    shutil.copy(seeded, path)
    plans = [(None, 0.6)] * BOOKING_KILLS + [(n, None) for n in BOOKING_STATEMENTS]
    where: Counter[str] = Counter()
    committed = _check_after_kill(path)
    for kill, (kill_at, wait) in enumerate(plans):
        phase, done = _kill(context, _book_forever, (url, kill, kill_at), wait=wait, rng=rng)
        in_flight = phase - DOING if phase >= DOING else None
        where[OPS[in_flight] if in_flight is not None else PHASES[phase]] += 1
        found = _check_after_kill(path)
        for op, name in enumerate(OPS):
            # Exactly what the child reported, and maybe the one it was in the middle of.
            allowed = {done[op], done[op] + 1} if op == in_flight else {done[op]}
            assert found[name] - committed[name] in allowed, (kill, name, found, committed, done)
        committed = found
    print(
        f"\n[booking] {len(plans)} SIGKILLs of a booking loop, each file checked "
        f"(killed while in {dict(where)}); {committed['book']} appointments, "
        f"{committed['cancel']} cancelled, {committed['adjust']} adjustments"
    )
    assert all(where[name] >= 3 for name in OPS), where  # each kind of write was interrupted
