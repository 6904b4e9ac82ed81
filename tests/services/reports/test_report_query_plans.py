"""Every report's queries use an index for its period or window (SQLite's EXPLAIN
QUERY PLAN, like the member search's check): none reads a whole table of entries,
sessions or money movements. Migrations 0011 and 0021 added the indexes they need; this
fails when a change to a report's query stops using them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event, text

from desk.services.container import Services
from desk.services.reports.service import REPORTS
from tests.actors import SYSTEM
from tests.services.reports.small_gym import SmallGym

# Tables a report may read whole: the lots of the liability (every open credit is
# in it; a gym's lots are few next to its entries), and the small lookup tables.
WHOLE_OK = {"credit_lots", "appointment_types", "staff_members", "staff_pay_rules", "members"}
BIG = ("credit_entries", "account_entries", "appointments")


def _statements(services: Services, name: str) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((statement, parameters))

    engine = services.db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        services.reports.table(name, first=date(2026, 1, 1), last=date(2026, 3, 4),
                               as_of=date(2026, 3, 4), actor=SYSTEM)  # fmt: skip
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return found


def _whole_table_reads(services: Services, name: str) -> list[tuple[str, list[str]]]:
    statements = _statements(services, name)
    assert statements
    found = []
    raw = services.db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            plan = cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            details = [row[-1] for row in plan]
            scans = [d for d in details
                     if re.match(rf"SCAN ({'|'.join(BIG)})\b(?! USING)", d)]  # fmt: skip
            if scans:
                found.append((statement, details))
    finally:
        raw.close()
    return found


@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", list(REPORTS))
def test_no_report_reads_a_whole_big_table(services: Services, gym: SmallGym, name: str):
    assert _whole_table_reads(services, name) == []


@pytest.mark.sqlite_only
def test_without_the_indexes_the_check_sees_whole_table_reads(services: Services, gym: SmallGym):
    with services.db.write() as session:
        for index in (
            "ix_credit_entries_at", "ix_account_entries_at_covering",
            "ix_appointments_status_start_covering", "ix_credit_entries_kind_at",
        ):  # fmt: skip
            session.execute(text(f"DROP INDEX {index}"))
    assert _whole_table_reads(services, "sales")
    assert _whole_table_reads(services, "liability-movement")


@pytest.mark.sqlite_only
def test_the_reports_indexes_are_in_the_schema(services: Services, gym: SmallGym):
    raw = services.db.engine.raw_connection()
    try:
        names = {row[0] for row in raw.cursor().execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}  # fmt: skip
    finally:
        raw.close()
    assert {
        "ix_credit_entries_at", "ix_credit_entries_appointment_kind",
        "ix_account_entries_at_covering", "ix_credit_lots_expires_on", "ix_credit_lots_voided_at",
        "ix_appointments_status_start_covering", "ix_appointments_start_counted",
        "ix_appointments_lot_start", "ix_credit_entries_kind_at",
    } <= names  # fmt: skip
