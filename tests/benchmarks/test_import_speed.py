"""How fast a gym moves in: 100,000 credit rows through the importer, against a floor.

Run with ``python -m pytest tests/benchmarks/test_import_speed.py --benchmark-only``
(the default test run skips benchmarks). The issue's target: 100,000 rows in under
10 seconds. The floor is a plain executemany of the same lots and grant entries
into an identical database: what SQLite itself costs, with no reading, checking,
matching or ORM in between.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from desk.db import Database, open_database
from desk.models import AppointmentType, CreditEntry, CreditLot, Member
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from tests.actors import SYSTEM

ROWS = 100_000
MEMBERS = 10_000
TYPES = ("Personal Training 60", "Sports Massage")
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
TARGET_SECONDS = 10.0
GYM_TZ = ZoneInfo("America/New_York")
results: dict[str, float] = {}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with 10,000 members (each with an external id) and two types."""
    path = tmp_path_factory.mktemp("import-speed") / "template.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.write() as session:
        for name in TYPES:
            session.add(
                AppointmentType(
                    name=name, duration_minutes=60, color="#3b82f6", default_price_cents=8500,
                    currency="USD", late_cancel_hours=24, active=True,
                )
            )  # fmt: skip
        session.execute(
            insert(Member),
            [
                {
                    "first_name": f"First{n}", "last_name": f"Last{n}",
                    "email": f"member{n}@example.com", "phone": None, "phone_digits": None,
                    "notes": "", "status": "active", "external_id": f"MB-{n:06d}",
                    "created_at": NOW, "updated_at": NOW,
                }
                for n in range(MEMBERS)
            ],
        )  # fmt: skip
    db.dispose()
    return path


@pytest.fixture(scope="module")
def rows() -> list[tuple[int, str, int, date, int]]:
    """(member number, type, credits, expiry, price in cents) per row."""
    return [
        (
            n % MEMBERS,
            TYPES[n % 2],
            1 + n % 20,
            date(2027, 1 + n % 12, 1 + n % 28),
            (n % 50) * 1000,
        )
        for n in range(ROWS)
    ]


@pytest.fixture(scope="module")
def csv_file(rows: list[tuple[int, str, int, date, int]]) -> bytes:
    lines = ["Client ID,Pricing Option,Sessions Remaining,Expiration Date,Amount Paid"]
    lines += [
        f"MB-{member:06d},{kind},{credits},{expires:%m/%d/%Y},${price // 100:,}.00"
        for member, kind, credits, expires, price in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def fresh() -> Iterator[list[Database]]:
    """Hands out copies of the template (one per benchmark round) and closes them."""
    opened: list[Database] = []
    yield opened
    for db in opened:
        db.dispose()


def copy_of(template: Path, folder: Path, opened: list[Database]) -> Database:
    target = folder / f"round-{len(opened)}.sqlite3"
    shutil.copyfile(template, target)  # the template is closed: a plain copy is safe
    db = open_database(f"sqlite:///{target}")
    opened.append(db)
    return db


def report(label: str, seconds: float) -> str:
    return f"{label}: {ROWS:,} rows in {seconds:.2f} s = {ROWS / seconds:,.0f} rows/s"


def say(capsys: pytest.CaptureFixture[str], *lines: str) -> None:
    with capsys.disabled():
        print()
        for line in lines:
            print(f"    {line}")


def ratio_line() -> list[str]:
    if "import" in results and "floor" in results:
        return [f"importer / executemany floor = {results['import'] / results['floor']:.1f}x"]
    return []


def test_import_100k_credit_rows(benchmark, template, csv_file, fresh, tmp_path, capsys):
    clock = FixedClock(NOW, GYM_TZ)

    def setup() -> tuple[tuple[Services], dict[str, object]]:
        return (Services.build(copy_of(template, tmp_path, fresh), clock),), {}

    def run(services: Services) -> None:
        outcome = services.imports.import_credits(csv_file, actor=SYSTEM)
        assert outcome.value.written
        assert outcome.value.to_import == ROWS

    benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)

    last = fresh[-1]
    with last.read() as session:
        assert session.scalar(select(func.count(CreditLot.id))) == ROWS
        assert session.scalar(select(func.count(CreditEntry.id))) == ROWS
    assert Services.build(last, clock).credits.verify_ledger() == []
    median = benchmark.stats.stats.median
    results["import"] = median
    benchmark.extra_info["rows_per_second"] = round(ROWS / median)
    say(capsys, report("desk import credits (median of 3)", median), *ratio_line())
    assert median < TARGET_SECONDS


def test_floor_executemany_into_lots_and_entries(
    benchmark, template, rows, fresh, tmp_path, capsys
):
    at = NOW.isoformat(sep=" ", timespec="microseconds")[:26]  # as UTCDateTime stores it

    def setup() -> tuple[
        tuple[Database, list[tuple[object, ...]], list[tuple[object, ...]]], dict[str, object]
    ]:
        db = copy_of(template, tmp_path, fresh)
        with db.read() as session:
            members = dict(session.execute(select(Member.external_id, Member.id)).all())
            types = dict(session.execute(select(AppointmentType.name, AppointmentType.id)).all())
        lots = [
            (n, members[f"MB-{member:06d}"], types[kind], credits, credits, "migration", price,
             "USD", expires.isoformat(), at, None, "", "batch")
            for n, (member, kind, credits, expires, price) in enumerate(rows, start=1)
        ]  # fmt: skip
        entries = [
            (n, "grant", credits, at, None, "imported", None, f"key-{n}")
            for n, (_m, _k, credits, _e, _p) in enumerate(rows, start=1)
        ]
        return (db, lots, entries), {}

    def run(
        db: Database, lots: list[tuple[object, ...]], entries: list[tuple[object, ...]]
    ) -> None:
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO credit_lots (id, member_id, appointment_type_id, quantity, remaining, "
                "source, price_cents, currency, expires_on, created_at, created_by_id, note, "
                "import_batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                lots,
            )
            connection.exec_driver_sql(
                "INSERT INTO credit_entries (lot_id, kind, delta, at, by_id, reason, "
                "appointment_id, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                entries,
            )

    benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)

    with fresh[-1].read() as session:
        assert session.scalar(select(func.count(CreditLot.id))) == ROWS
    median = benchmark.stats.stats.median
    results["floor"] = median
    benchmark.extra_info["rows_per_second"] = round(ROWS / median)
    say(capsys, report("executemany floor (median of 3)", median), *ratio_line())
