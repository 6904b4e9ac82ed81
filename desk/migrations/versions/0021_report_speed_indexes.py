"""covering indexes for the reports at 100,000 members

Revision ID: 0021
Revises: 0015
Create Date: 2026-12-01 17:30:00

The reports read a year of sessions and credit movements; these indexes answer
their queries from the index alone, without reading the tables' rows:

- ``appointments(status, starts_at, lot_id, member_id, staff_id,
  appointment_type_id)`` replaces ``appointments(status, starts_at)``: today's
  liability counts the credits still booked per lot, the movement finds the
  consumed sessions of a period, attendance the members who keep not coming,
  expiring soon the next bookings, coach pay the attended sessions;
- ``appointments(lot_id, starts_at, status, staff_id, appointment_type_id,
  member_id)`` replaces ``appointments(lot_id)``:
  a lot's sessions in the order they spent its credits (what each credit was
  worth, for coach pay);
- ``credit_entries(appointment_id, kind, at, lot_id)`` replaces
  ``credit_entries(appointment_id)``: a session's booking entry (when, which lot)
  and whether it was given back;
- ``credit_entries(kind, at, lot_id, delta, appointment_id)``: a period's grants,
  expiries and bookings, and what every lot held at a moment;
- ``account_entries(at, kind, amount_cents, lot_id, billing_period_id, method,
  member_id)`` replaces ``account_entries(at)``: a period's sales and payments
  summed by day.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REPLACED = (
    ("ix_appointments_status_start", "appointments", ["status", "starts_at"]),
    ("ix_credit_entries_appointment_id", "credit_entries", ["appointment_id"]),
    ("ix_appointments_lot_id", "appointments", ["lot_id"]),
    ("ix_account_entries_at", "account_entries", ["at"]),
)
_INDEXES = (
    (
        "ix_appointments_status_start_covering", "appointments",
        ["status", "starts_at", "lot_id", "member_id", "staff_id", "appointment_type_id"],
    ),
    (
        "ix_appointments_lot_start", "appointments",
        ["lot_id", "starts_at", "status", "staff_id", "appointment_type_id", "member_id"],
    ),
    (
        "ix_credit_entries_appointment_kind", "credit_entries",
        ["appointment_id", "kind", "at", "lot_id"],
    ),
    (
        "ix_credit_entries_kind_at", "credit_entries",
        ["kind", "at", "lot_id", "delta", "appointment_id"],
    ),
    (
        "ix_account_entries_at_covering", "account_entries",
        ["at", "kind", "amount_cents", "lot_id", "billing_period_id", "method", "member_id"],
    ),
)  # fmt: skip


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)
    for name, table, _columns in _REPLACED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in _REPLACED:
        op.create_index(name, table, columns)
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
