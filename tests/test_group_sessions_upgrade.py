"""Upgrading a gym saved at schema 0010 (before group sessions) keeps every row.

tests/data/schema_0010.sqlite3 was written by the release at 0010
(tests/data/make_schema_0010.py): 40 members, their lots, bookings in every status,
adjustments and the audit trail. Migration 0013 adds a capacity to each type and the
waitlist table; every existing appointment, credit lot and entry and audit event is
compared, column by column, before and after, and so is every member's balance.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from desk.db import current_revision, head_revision, open_database
from desk.services.container import Services
from desk.services.core.ids import MemberId

DATA = Path(__file__).parent / "data"

Rows = dict[str, tuple[list[str], list[tuple[object, ...]]]]


def _rows(path: Path) -> Rows:
    """Every table's columns and rows, sorted (straight from SQLite)."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found: Rows = {}
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            found[table] = (columns, sorted(cursor.fetchall(), key=repr))
        return found
    finally:
        connection.close()


# The columns migrations after 0010 add to tables the 0010 gym already has (the
# rows must keep every value they had; the new columns start empty or at a default).
ADDED_SINCE_0010: dict[str, set[str]] = {
    "staff_members": {"delivers_all_types"},  # 0012
    "account_entries": {"method", "appointment_id", "reverses_id"},  # 0011, 0018
    # 0012 (booking rules), 0013 (capacity)
    "appointment_types": {
        "buffer_before_minutes",
        "buffer_after_minutes",
        "min_notice_minutes",
        "horizon_days",
        "capacity",
        "late_cancel_fee_cents",  # 0018 (fees by policy)
        "no_show_fee_cents",
        "fee_replaces_forfeit",
    },
    "appointments": {"import_batch", "unpaid"},  # 0014, 0017
    "credit_lots": {"transferred_from_lot_id", "first_use_days", "pool_id"},  # 0015, 0016, 0020
    "session_packages": {"first_use_days"},  # 0016
    "members": {"merged_into_id"},  # 0015
}


def test_the_0010_gym_upgrades_with_every_row_and_balance_kept(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    shutil.copy(DATA / "schema_0010.sqlite3", path)
    before = _rows(path)
    assert before["alembic_version"][1] == [("0010",)]
    assert "capacity" not in before["appointment_types"][0]
    statuses = {row[before["appointments"][0].index("status")] for row in before["appointments"][1]}
    assert statuses == {"booked", "attended", "no_show", "cancelled", "late_cancelled"}
    db = open_database(f"sqlite:///{path}")
    try:
        assert current_revision(db) == head_revision()
        services = Services.build(db)
        assert services.credits.verify_ledger() == []
        balances = {
            str(m): [
                [r.appointment_type, r.granted, r.adjusted, r.open, r.booked, r.used, r.expired]
                for r in services.credits.balances(MemberId(m))
            ]
            for m in range(1, 41)
        }
        saved = json.loads((DATA / "schema_0010_balances.json").read_text())
        assert balances == saved
        assert [t.capacity for t in services.appointment_types.list(include_inactive=True)] == [
            1,
            1,
        ]
    finally:
        db.dispose()
    after = _rows(path)
    assert after["alembic_version"][1] == [(head_revision(),)]
    assert after["waitlist_entries"][1] == []
    for table, (columns, rows) in before.items():
        if table == "alembic_version":
            continue
        new_columns, new_rows = after[table]
        keep = [new_columns.index(c) for c in columns]
        assert sorted((tuple(row[i] for i in keep) for row in new_rows), key=repr) == rows, table
        added = set(new_columns) - set(columns)
        assert added == ADDED_SINCE_0010.get(table, set()), table
    for table in ("appointments", "credit_lots", "credit_entries", "audit_events", "members"):
        assert before[table][1], f"the saved gym has no {table}"
