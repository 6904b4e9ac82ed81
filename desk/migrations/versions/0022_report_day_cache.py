"""report day cache: closed days of period reports, dropped by triggers on writes

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 00:00:00

A year's liability movement replays a year of the ledger (seconds at 100,000
members); a day that is over changes only when a write reaches back into it (an
import, a backdated booking, a status changed afterwards, a lot's price or expiry
edited). ``report_cache_days`` and ``report_cache_values`` keep each closed day's
figures per report and time zone. Triggers on ``credit_entries``,
``appointments`` and ``credit_lots`` find the earliest instant a write touches
and delete every cached day ending after it; while a report is filling the cache
(a row in ``report_cache_fills``, at most an hour old) they also log that instant
in ``report_cache_dirt``, so the report can leave out days a write changed after
it read (services/reports/day_cache.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPOINTMENT_COLUMNS = "status, lot_id, starts_at, appointment_type_id, staff_id, unpaid"
_LOT_VALUE_COLUMNS = "price_cents, quantity, appointment_type_id"


def _tables() -> None:
    op.create_table(
        "report_cache_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report", sa.String(length=32), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_cache_days")),
        sa.UniqueConstraint(
            "report", "zone", "day", name=op.f("uq_report_cache_days_report_zone_day")
        ),
    )
    op.create_index("ix_report_cache_days_ends_at", "report_cache_days", ["ends_at"])
    op.create_table(
        "report_cache_values",
        sa.Column("day_id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["day_id"], ["report_cache_days.id"],
            name=op.f("fk_report_cache_values_day_id_report_cache_days"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint(
            "day_id", "appointment_type_id", "name", name=op.f("pk_report_cache_values")
        ),
    )
    op.create_table(
        "report_cache_fills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_cache_fills")),
    )
    op.create_table(
        "report_cache_dirt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("xact", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_cache_dirt")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_report_cache_dirt_logged_at", "report_cache_dirt", ["logged_at"])


# --- SQLite: one trigger per table and event; the instant written out in each -----------------


def _entry_since(row: str) -> str:
    # A ledger entry moves its own instant and, for a session's entry, the session's
    # start (a forgiven no-show's release changes what the session consumed then).
    return (
        f"min({row}.at, coalesce((SELECT a.starts_at FROM appointments a "
        f"WHERE a.id = {row}.appointment_id), {row}.at))"
    )


def _lot_since(row: str) -> str:
    # A lot's price, size or type values every event of it: from its first entry.
    return (
        f"coalesce((SELECT min(e.at) FROM credit_entries e WHERE e.lot_id = {row}.id), "
        f"{row}.created_at)"
    )


_EXPIRY_SINCE = (
    "datetime(min(coalesce(OLD.expires_on, NEW.expires_on), "
    "coalesce(NEW.expires_on, OLD.expires_on)), '-1 day')"
)
_FILLING = (
    "EXISTS (SELECT 1 FROM report_cache_fills "
    "WHERE started_at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 hour'))"
)


def _sqlite_trigger(name: str, event: str, table: str, since: str) -> None:
    op.execute(
        f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN "
        f"DELETE FROM report_cache_days WHERE ends_at > ({since}); "
        "INSERT INTO report_cache_dirt (since, logged_at, xact) "
        f"SELECT s, strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL FROM (SELECT ({since}) AS s) "
        f"WHERE s IS NOT NULL AND {_FILLING}; END"
    )


_SQLITE_TRIGGERS = (
    ("report_cache_entry_insert", "INSERT", "credit_entries", _entry_since("NEW")),
    ("report_cache_entry_delete", "DELETE", "credit_entries", _entry_since("OLD")),
    ("report_cache_entry_update", "UPDATE", "credit_entries",
     f"min({_entry_since('OLD')}, {_entry_since('NEW')})"),
    ("report_cache_appointment_insert", "INSERT", "appointments", "NEW.starts_at"),
    ("report_cache_appointment_delete", "DELETE", "appointments", "OLD.starts_at"),
    ("report_cache_appointment_update", f"UPDATE OF {_APPOINTMENT_COLUMNS}", "appointments",
     "min(OLD.starts_at, NEW.starts_at)"),
    ("report_cache_lot_expiry", "UPDATE OF expires_on", "credit_lots", _EXPIRY_SINCE),
    ("report_cache_lot_value", f"UPDATE OF {_LOT_VALUE_COLUMNS}", "credit_lots",
     _lot_since("OLD")),
    ("report_cache_lot_delete", "DELETE", "credit_lots", _lot_since("OLD")),
)  # fmt: skip


# --- PostgreSQL: one function that drops and logs, one trigger function per table ------------

_PG_TOUCH = """
CREATE FUNCTION report_cache_touch(since timestamptz) RETURNS void AS $$
BEGIN
  IF since IS NULL THEN RETURN; END IF;
  DELETE FROM report_cache_days WHERE ends_at > since;
  IF EXISTS (SELECT 1 FROM report_cache_fills WHERE started_at > now() - interval '1 hour') THEN
    INSERT INTO report_cache_dirt (since, logged_at, xact)
    VALUES (since, clock_timestamp(), pg_current_xact_id()::text::bigint);
  END IF;
END $$ LANGUAGE plpgsql
"""
_PG_FUNCTIONS = {
    "credit_entries": """
CREATE FUNCTION report_cache_entries() RETURNS trigger AS $$
DECLARE s timestamptz;
BEGIN
  IF TG_OP <> 'DELETE' THEN
    s := least(NEW.at, (SELECT starts_at FROM appointments WHERE id = NEW.appointment_id));
  END IF;
  IF TG_OP <> 'INSERT' THEN
    s := least(s, OLD.at, (SELECT starts_at FROM appointments WHERE id = OLD.appointment_id));
  END IF;
  PERFORM report_cache_touch(s);
  RETURN NULL;
END $$ LANGUAGE plpgsql
""",
    "appointments": """
CREATE FUNCTION report_cache_appointments() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN PERFORM report_cache_touch(NEW.starts_at);
  ELSIF TG_OP = 'DELETE' THEN PERFORM report_cache_touch(OLD.starts_at);
  ELSE PERFORM report_cache_touch(least(OLD.starts_at, NEW.starts_at));
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
""",
    "credit_lots": """
CREATE FUNCTION report_cache_lots() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.expires_on IS DISTINCT FROM NEW.expires_on THEN
    PERFORM report_cache_touch(
      (least(OLD.expires_on, NEW.expires_on) - 1)::timestamp AT TIME ZONE 'UTC');
  END IF;
  IF TG_OP = 'DELETE' OR OLD.price_cents IS DISTINCT FROM NEW.price_cents
     OR OLD.quantity IS DISTINCT FROM NEW.quantity
     OR OLD.appointment_type_id IS DISTINCT FROM NEW.appointment_type_id THEN
    PERFORM report_cache_touch(coalesce(
      (SELECT min(at) FROM credit_entries WHERE lot_id = OLD.id), OLD.created_at));
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
""",
}
_PG_TRIGGERS = {
    "credit_entries": ("INSERT OR UPDATE OR DELETE", "report_cache_entries"),
    "appointments": (f"INSERT OR DELETE OR UPDATE OF {_APPOINTMENT_COLUMNS}",
                     "report_cache_appointments"),
    "credit_lots": (f"DELETE OR UPDATE OF expires_on, {_LOT_VALUE_COLUMNS}", "report_cache_lots"),
}  # fmt: skip


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name == "sqlite":
        for name, event, table, since in _SQLITE_TRIGGERS:
            _sqlite_trigger(name, event, table, since)
        return
    op.execute(_PG_TOUCH)
    for table, function in _PG_FUNCTIONS.items():
        op.execute(function)
        event, name = _PG_TRIGGERS[table]
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, *_rest in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for table, (_event, name) in _PG_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        op.execute("DROP FUNCTION IF EXISTS report_cache_touch(timestamptz)")
    op.drop_index("ix_report_cache_dirt_logged_at", table_name="report_cache_dirt")
    op.drop_table("report_cache_dirt")
    op.drop_table("report_cache_fills")
    op.drop_table("report_cache_values")
    op.drop_index("ix_report_cache_days_ends_at", table_name="report_cache_days")
    op.drop_table("report_cache_days")
