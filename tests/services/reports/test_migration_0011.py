"""Migration 0011 on a file made by the desk before it: the payments already there
become "unknown" (other entries carry no method), the report indexes appear, and
the reports total the old payments under "unknown"."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from desk.db import alembic_config, open_database
from desk.services.container import Services
from tests.actors import SYSTEM


@pytest.mark.sqlite_only
def test_older_payments_become_unknown(tmp_path: Path, clock) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0010")
        conn.execute(text(
            "INSERT INTO members (id, first_name, last_name, notes, status, created_at, updated_at)"
            " VALUES (1, 'Old', 'Timer', '', 'active', '2026-03-01 10:00:00',"
            " '2026-03-01 10:00:00')"
        ))  # fmt: skip
        for kind, cents in (("charge", -2_000), ("payment", 2_000)):
            conn.execute(text(
                "INSERT INTO account_entries (member_id, kind, amount_cents, currency, at, note)"
                " VALUES (1, :kind, :cents, 'USD', '2026-03-04 15:00:00', '')"
            ), {"kind": kind, "cents": cents})  # fmt: skip
    engine.dispose()
    db = open_database(f"sqlite:///{path}")
    try:
        services = Services.build(db, clock)
        got = services.reports.sales(date(2026, 3, 4), date(2026, 3, 4), actor=SYSTEM)
        assert got.total.by_method == {"unknown": 2_000}
    finally:
        db.dispose()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT kind, method FROM account_entries ORDER BY id").fetchall()
        assert rows == [("charge", None), ("payment", "unknown")]
        with pytest.raises(sqlite3.IntegrityError):  # a payment needs a method now
            conn.execute("INSERT INTO account_entries (member_id, kind, amount_cents, "
                         "currency, at, note) VALUES (1, 'payment', 5, 'USD', "
                         "'2026-03-04 15:00:00', '')")  # fmt: skip
