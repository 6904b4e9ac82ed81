"""@retry_transient on its own: a retried write keeps only its last attempt, retries are
bounded, domain errors are never retried; a real deadlock and a SQLite busy lock retried."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from desk.db import Database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import InsufficientCredits
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.retry import ATTEMPTS, DatabaseBusy, TransientConflict, retry_transient
from tests.actors import SYSTEM

# --- the retry helper on its own ---------------------------------------------------------------


def test_a_retried_write_keeps_only_the_last_attempt(
    services: Services, database: Database
) -> None:
    attempts: list[int] = []

    @retry_transient
    def rename() -> None:
        with database.write() as session:
            session.execute(text("UPDATE members SET notes = notes || 'x'"))
            attempts.append(1)
            if len(attempts) < 3:
                raise TransientConflict("someone else changed it")

    services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM)
    rename()
    assert len(attempts) == 3
    with database.read() as session:
        assert session.scalar(text("SELECT notes FROM members")) == "x"


def test_retries_are_bounded_and_end_in_a_readable_error(database: Database) -> None:
    calls: list[int] = []
    # What SQLAlchemy raises when SQLite stays locked past the busy timeout.
    locked = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))

    @retry_transient
    def always_locked() -> None:
        calls.append(1)
        raise locked

    @retry_transient
    def always_conflicting() -> None:
        calls.append(1)
        raise TransientConflict("again")

    with pytest.raises(DatabaseBusy, match="Try again"):
        always_locked()
    assert len(calls) == ATTEMPTS["busy"]
    calls.clear()
    with pytest.raises(DatabaseBusy):
        always_conflicting()
    assert len(calls) == ATTEMPTS["conflict"]


def test_a_domain_error_is_never_retried(services: Services) -> None:
    calls: list[int] = []

    @retry_transient
    def refuse() -> None:
        calls.append(1)
        raise InsufficientCredits("none left")

    with pytest.raises(InsufficientCredits):
        refuse()
    assert calls == [1]


@pytest.mark.postgresql_only
def test_a_real_deadlock_is_retried_to_success(services: Services, database: Database) -> None:
    """Two transactions lock two lots in opposite orders: PostgreSQL aborts one, it runs again."""
    kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    lots = [
        services.credits.add_credits(
            member_id=MemberId(member.id),
            appointment_type_id=AppointmentTypeId(kind.id),
            quantity=5,
            expires_on=None,
            actor=SYSTEM,
        ).value.id
        for _ in range(2)
    ]
    both_hold_one = threading.Barrier(2)
    attempts: Counter[str] = Counter()

    @retry_transient
    def move(name: str, first: int, second: int) -> None:
        attempts[name] += 1
        with database.write() as session:
            session.execute(
                text("SELECT id FROM credit_lots WHERE id = :id FOR UPDATE"), {"id": first}
            )
            if attempts[name] == 1:
                both_hold_one.wait(timeout=10)
            session.execute(
                text("SELECT id FROM credit_lots WHERE id = :id FOR UPDATE"), {"id": second}
            )
            session.execute(text("UPDATE members SET notes = notes || :n"), {"n": name})

    failures: list[BaseException] = []

    def run(name: str, first: int, second: int) -> None:
        try:
            move(name, first, second)
        except BaseException as exc:
            failures.append(exc)

    threads = [
        threading.Thread(target=run, args=("a", lots[0], lots[1])),
        threading.Thread(target=run, args=("b", lots[1], lots[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert sorted(attempts.values()) == [1, 2]  # the deadlock victim ran twice
    with database.read() as session:
        assert sorted(session.scalar(text("SELECT notes FROM members"))) == ["a", "b"]


@pytest.mark.sqlite_only
def test_sqlite_still_locked_after_the_busy_timeout_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FixedClock
) -> None:
    import desk.db

    monkeypatch.setattr(desk.db, "BUSY_TIMEOUT_MS", 100)
    db = desk.db.open_database(f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    try:
        services = Services.build(db, clock)
        services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM)
        holder = sqlite3.connect(
            tmp_path / "desk.sqlite3", isolation_level=None, check_same_thread=False
        )
        holder.execute("BEGIN IMMEDIATE")
        attempts: list[float] = []

        @retry_transient
        def write() -> None:
            attempts.append(time.perf_counter())
            with db.write() as session:
                session.execute(text("UPDATE members SET notes = 'written'"))

        release = threading.Timer(0.15, holder.commit)
        release.start()
        write()
        release.join()
        holder.close()
        assert len(attempts) == 2  # locked for the first 100 ms, through on the second go
        with db.read() as session:
            assert session.scalar(text("SELECT notes FROM members")) == "written"
    finally:
        db.dispose()
