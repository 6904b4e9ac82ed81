"""The benchmark database: 100,000 demo members, built once and cached outside the repo.

On top of ``DemoGenerator(members=100_000)`` the cached file holds:

- ``HEAVY_MEMBER``: 2,000 attended appointments paid by 500 lots (for the profile);
- ``BUSY_MONDAY``'s week: exactly 1,000 booked appointments, ten extra coaches
  side by side, 06:00 to 22:00 (the demo books at most 60 days ahead, so this week
  holds nothing else);
- an owner account (``OWNER_USERNAME``) so the app can start without the first-run dialog;
- the money of every sold lot (the demo writes none): its charge and, a minute
  later, its payment, by cash, card or transfer in turn (the sales and end-of-day
  reports' rows).

The file is named after the schema head, the seed and ``LAYOUT`` and rebuilt when
any of them changes. Benchmarks copy it (``copy_database``) or only read it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import platformdirs
from sqlalchemy import select

from desk.db import Database, head_revision, open_database
from desk.models import Appointment, AppointmentType, CreditEntry, CreditLot, StaffMember
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.records.demo import DemoGenerator, _bulk_insert

MEMBERS = 100_000
SEED = 1
LAYOUT = 5  # bump when what this module adds changes (4: coaches' hours, groups; 5: a year more)
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
GYM_TZ = ZoneInfo("America/New_York")
HEAVY_MEMBER = 1
HEAVY_LOTS = 500
HEAVY_APPOINTMENTS = 2_000
BUSY_MONDAY = date(2026, 6, 8)  # three months after NOW: past the demo's 60-day horizon
BUSY_APPOINTMENTS = 1_000
BUSY_COACHES = 10
OWNER_USERNAME = "bench"
OWNER_PASSWORD = "bench-password-1"


def clock() -> FixedClock:
    return FixedClock(NOW, GYM_TZ)


def cache_path() -> Path:
    folder = Path(os.environ.get("DESK_BENCH_CACHE") or platformdirs.user_cache_dir("Desk"))
    return folder / f"bench-100k-{head_revision()}-{SEED}-v{LAYOUT}.sqlite3"


def ensure_database(say: Any = print) -> Path:
    """The cached benchmark database, built when missing (about a minute)."""
    path = cache_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".building")
    for stale in path.parent.glob(building.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    say(f"building the benchmark database {path} (100,000 members, about a minute)")
    db = open_database(f"sqlite:///{building}")
    try:
        summary = DemoGenerator(db, clock()).generate(members=MEMBERS, seed=SEED)
        _add_heavy_member(db)
        _add_busy_week(db)
        _add_a_year_of_sessions(db)
        _add_sales_money(db)
        Services.build(db, clock()).auth.create_owner(
            name="Bench Owner", username=OWNER_USERNAME, password=OWNER_PASSWORD
        )
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    os.replace(building, path)
    for leftover in path.parent.glob(building.name + "-*"):
        leftover.unlink()
    say(
        f"built in {time.perf_counter() - started:.0f} s: {summary.members:,} members, "
        f"{summary.appointments:,} appointments, {summary.lots:,} lots"
    )
    return path


def copy_database(source: Path, target: Path) -> Path:
    """A private copy (SQLite's backup API, so a WAL-mode file copies consistently)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def open_copy(source: Path, target: Path) -> Database:
    return open_database(f"sqlite:///{copy_database(source, target)}")


def _ids(db: Database) -> tuple[list[int], int, int, int]:
    with db.read() as session:
        types = list(session.scalars(select(AppointmentType.id).order_by(AppointmentType.id)))
        lot = session.scalar(select(CreditLot.id).order_by(CreditLot.id.desc()).limit(1)) or 0
        entry = session.scalar(select(CreditEntry.id).order_by(CreditEntry.id.desc()).limit(1))
        appt = session.scalar(select(Appointment.id).order_by(Appointment.id.desc()).limit(1))
    return types, lot, entry or 0, appt or 0


def _coach(session: Any, name: str) -> int:
    row = StaffMember(name=name, role="coach", active=True)
    session.add(row)
    session.flush()
    return int(row.id)


def _appt(
    appt_id: int, member: int, type_id: int, coach: int, start: datetime, status: str, lot: int
) -> dict[str, Any]:
    done = status != "booked"
    return {
        "id": appt_id, "member_id": member, "appointment_type_id": type_id, "staff_id": coach,
        "starts_at": start, "ends_at": start + timedelta(minutes=30), "status": status,
        "lot_id": lot, "series_id": None, "notes": "", "created_at": start - timedelta(days=2),
        "created_by_id": None, "status_changed_at": start + timedelta(minutes=30) if done else None,
        "status_changed_by_id": None, "status_reason": "",
    }  # fmt: skip


def _lot(lot_id: int, member: int, type_id: int, quantity: int, remaining: int) -> dict[str, Any]:
    return {
        "id": lot_id, "member_id": member, "appointment_type_id": type_id, "quantity": quantity,
        "remaining": remaining, "source": "package", "price_cents": 4000 * quantity,
        "currency": "USD", "expires_on": None, "created_at": NOW - timedelta(days=400),
        "created_by_id": None, "note": "", "import_batch": None,
    }  # fmt: skip


def _entry(entry_id: int, lot: int, kind: str, delta: int, at: datetime, appt: int | None) -> Any:
    return {
        "id": entry_id, "lot_id": lot, "kind": kind, "delta": delta, "at": at, "by_id": None,
        "reason": "", "appointment_id": appt, "idempotency_key": None,
    }  # fmt: skip


def _write(db: Database, lots: list[Any], appts: list[Any], entries: list[Any]) -> None:
    with db.write() as session:
        for model, rows in ((CreditLot, lots), (Appointment, appts), (CreditEntry, entries)):
            _bulk_insert(session, model, rows)


def _add_heavy_member(db: Database) -> None:
    """500 lots of 5 credits, 4 used on each: 2,000 attended sessions, 500 credits open."""
    types, lot_id, entry_id, appt_id = _ids(db)
    with db.write() as session:
        coach = _coach(session, "Heavy Member Coach")
    lots, appts, entries = [], [], []
    start = NOW.replace(minute=0) - timedelta(hours=HEAVY_APPOINTMENTS + 24)
    per_lot = HEAVY_APPOINTMENTS // HEAVY_LOTS
    for n in range(HEAVY_LOTS):
        lot_id += 1
        kind = types[n % len(types)]
        lots.append(_lot(lot_id, HEAVY_MEMBER, kind, per_lot + 1, 1))
        entry_id += 1
        entries.append(_entry(entry_id, lot_id, "grant", per_lot + 1, NOW - timedelta(400), None))
        for _ in range(per_lot):
            appt_id += 1
            start += timedelta(hours=1)
            appts.append(_appt(appt_id, HEAVY_MEMBER, kind, coach, start, "attended", lot_id))
            entry_id += 1
            entries.append(_entry(entry_id, lot_id, "book", -1, start - timedelta(days=2), appt_id))
    _write(db, lots, appts, entries)


def _add_busy_week(db: Database) -> None:
    """1,000 booked sessions in BUSY_MONDAY's week: 10 coaches x 16 hours x 7 days, cut at 1,000."""
    types, lot_id, entry_id, appt_id = _ids(db)
    with db.write() as session:
        coaches = [_coach(session, f"Busy Week Coach {i + 1:02d}") for i in range(BUSY_COACHES)]
    members = range(HEAVY_MEMBER + 1, HEAVY_MEMBER + 21)  # 20 members, 50 sessions each
    member_lots: dict[int, int] = {}
    lots, appts, entries = [], [], []
    for member in members:
        lot_id += 1
        member_lots[member] = lot_id
        lots.append(_lot(lot_id, member, types[0], 50, 0))
        entry_id += 1
        entries.append(_entry(entry_id, lot_id, "grant", 50, NOW, None))
    made = 0
    for slot in range(7 * 16):
        day, hour = divmod(slot, 16)
        local = datetime.combine(BUSY_MONDAY + timedelta(days=day), datetime.min.time(), GYM_TZ)
        start = local.replace(hour=6 + hour).astimezone(UTC)
        for coach in coaches:
            if made == BUSY_APPOINTMENTS:
                break
            member = members[made % len(members)]
            appt_id += 1
            entry_id += 1
            lot = member_lots[member]
            appts.append(_appt(appt_id, member, types[0], coach, start, "booked", lot))
            entries.append(_entry(entry_id, lot, "book", -1, NOW, appt_id))
            made += 1
    _write(db, lots, appts, entries)


YEAR_LOTS = 31_000  # 10 sessions each: the database reaches 1,000,000 sessions, 1.5M entries


def _add_a_year_of_sessions(db: Database) -> None:
    """More of last year, so the reports read what issue 19 names (1,000,000 sessions,
    1,500,000 entries): lots of 10 credits bought over the year, each spent on 10
    sessions within 60 days of its sale (85% attended, the rest no-shows and late
    cancels, each with its forfeit entry). Prices leave remainders on the last credit."""
    import random

    rng = random.Random(SEED)
    types, lot_id, entry_id, appt_id = _ids(db)
    with db.read() as session:
        coaches = list(session.scalars(
            select(StaffMember.id).where(StaffMember.role == "coach").order_by(StaffMember.id)
        ))  # fmt: skip
    lots, appts, entries = [], [], []
    for _ in range(YEAR_LOTS):
        lot_id += 1
        member = rng.randint(HEAVY_MEMBER + 21, MEMBERS)
        kind = rng.choice(types)
        sold = NOW - timedelta(days=rng.randint(61, 365), minutes=rng.randint(0, 600))
        lot = _lot(lot_id, member, kind, 10, 0)
        lot |= {"price_cents": rng.choice((9_999, 12_000, 15_050, 40_000)), "created_at": sold,
                "expires_on": (sold + timedelta(days=365)).date()}  # fmt: skip
        lots.append(lot)
        entry_id += 1
        entries.append(_entry(entry_id, lot_id, "grant", 10, sold, None))
        coach = rng.choice(coaches)
        for _n in range(10):
            appt_id += 1
            local = (sold + timedelta(days=rng.randint(1, 60))).astimezone(GYM_TZ)
            start = local.replace(hour=rng.randint(6, 21), minute=0, second=0, microsecond=0)
            status = rng.choices(("attended", "no_show", "late_cancelled"), (85, 8, 7))[0]
            start_utc = start.astimezone(UTC)
            appts.append(_appt(appt_id, member, kind, coach, start_utc, status, lot_id))
            entry_id += 1
            booked = min(start_utc - timedelta(hours=2), max(sold, start_utc - timedelta(days=3)))
            entries.append(_entry(entry_id, lot_id, "book", -1, booked, appt_id))
            if status != "attended":
                entry_id += 1
                entries.append(_entry(entry_id, lot_id, "forfeit", 0, start_utc, appt_id))
    _write(db, lots, appts, entries)


def _add_sales_money(db: Database) -> None:
    """A charge and its payment for every lot sold at a price (plain INSERT ... SELECT)."""
    lots = "FROM credit_lots WHERE source = 'package' AND price_cents > 0"
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO account_entries (member_id, kind, amount_cents, currency, at, note,"
            " lot_id, method) SELECT member_id, 'charge', -price_cents, currency, created_at,"
            f" 'demo sale', id, NULL {lots}"
        )
        connection.exec_driver_sql(
            "INSERT INTO account_entries (member_id, kind, amount_cents, currency, at, note,"
            " lot_id, method) SELECT member_id, 'payment', price_cents, currency,"
            " datetime(created_at, '+1 minute'), 'demo payment', id,"
            f" CASE id % 3 WHEN 0 THEN 'cash' WHEN 1 THEN 'card' ELSE 'transfer' END {lots}"
        )


if __name__ == "__main__":
    print(ensure_database())
