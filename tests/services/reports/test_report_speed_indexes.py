"""The covering indexes of migration 0021 answer the reports' big reads (issue 19's
speed at 100,000 members): each report's statements name the index it relies on in
their query plan (SQLite's EXPLAIN QUERY PLAN; PostgreSQL's EXPLAIN with
sequential scans priced out, like the member search's check), and "COVERING" on
SQLite means the rows themselves are never read. A change to a query that stops
using its index fails here, on the small gym, without timing anything."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, text

from desk.db import Database
from desk.services.container import Services
from desk.services.core.ids import StaffId
from desk.services.reports.filters import ReportFilter
from tests.actors import SYSTEM
from tests.services.reports.small_gym import SmallGym

MARCH_1, MARCH_4 = date(2026, 3, 1), date(2026, 3, 4)

# Report -> the 0021 indexes its plans must use (SQLite: each as a covering index).
USES = {
    "liability": ["ix_appointments_status_start_covering"],
    "liability-movement": [
        "ix_appointments_status_start_covering", "ix_credit_entries_appointment_kind",
        "ix_credit_entries_kind_at",
    ],
    "sales": ["ix_account_entries_at_covering"],
    "coach-pay": ["ix_appointments_status_start_covering", "ix_appointments_lot_start"],
    "expiring": ["ix_appointments_status_start_covering"],
}  # fmt: skip


def _statements(services: Services, name: str, kim: int) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((statement, parameters))

    event.listen(services.db.engine, "before_cursor_execute", capture)
    try:
        # Coach pay for Kim (paid by a percentage): her sessions' credits are ranked.
        filters = ReportFilter(coach_id=StaffId(kim)) if name == "coach-pay" else ReportFilter()
        services.reports.table(name, first=MARCH_1, last=MARCH_4, as_of=MARCH_4,
                               filters=filters, actor=SYSTEM)  # fmt: skip
    finally:
        event.remove(services.db.engine, "before_cursor_execute", capture)
    assert found
    return found


def _sqlite_plans(services: Services, name: str, kim: int = 1) -> str:
    raw = services.db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        lines = [
            row[-1]
            for statement, parameters in _statements(services, name, kim)
            for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        ]
    finally:
        raw.close()
    return "\n".join(lines)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", list(USES))
def test_each_report_reads_its_covering_indexes(services: Services, gym: SmallGym, name: str):
    plans = _sqlite_plans(services, name, gym.kim)
    for index in USES[name]:
        assert f"COVERING INDEX {index} " in plans, (index, plans)


@pytest.mark.sqlite_only
def test_without_them_the_plans_read_the_rows(services: Services, gym: SmallGym):
    with services.db.write() as session:
        for index in ("ix_appointments_status_start_covering", "ix_account_entries_at_covering",
                      "ix_credit_entries_appointment_kind"):  # fmt: skip
            session.execute(text(f"DROP INDEX {index}"))
    assert "ix_appointments_status_start_covering" not in _sqlite_plans(services, "liability")
    sales = _sqlite_plans(services, "sales")
    assert "ix_account_entries_at_covering" not in sales
    assert re.search(r"SCAN account_entries(?! USING)", sales)  # the whole table, row by row


def _postgres_plans(database: Database, services: Services, name: str, kim: int) -> str:
    with database.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        lines = []
        for statement, parameters in _statements(services, name, kim):
            cursor.execute("EXPLAIN " + statement, parameters)
            lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


@pytest.mark.postgresql_only
@pytest.mark.parametrize(
    ("name", "index"),
    [("liability", "ix_appointments_status_start_covering"),
     ("sales", "ix_account_entries_at_covering"),
     ("liability-movement", "ix_credit_entries_kind_at")],
)  # fmt: skip
def test_postgresql_can_answer_from_the_same_indexes(
    database: Database, services: Services, gym: SmallGym, name: str, index: str
):
    assert index in _postgres_plans(database, services, name, gym.kim)
