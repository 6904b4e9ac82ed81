"""indexes for the reports; how a payment was received

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:00:00

The reports read movements, sales and sessions of a period and credits expiring
in a window: indexes on ``credit_entries(at)``, ``credit_entries(appointment_id)``
(what a session's credit was worth), ``account_entries(at)``,
``credit_lots(expires_on)``, ``credit_lots(voided_at)`` and
``appointments(status, starts_at)``, so none of them reads a whole table, and
``appointments(starts_at, status, appointment_type_id, staff_id, member_id,
lot_id)`` so that attendance counts a year's sessions from the index alone.
``account_entries.method`` says how a payment was received (cash, card,
transfer, other); payments recorded before this are "unknown", other kinds of
entry carry none (CHECKs).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_METHODS = "method IN ('cash', 'card', 'transfer', 'other', 'unknown')"
_ONLY_ON_PAYMENTS = (
    "(kind = 'payment' AND method IS NOT NULL) OR (kind <> 'payment' AND method IS NULL)"
)
# Reflect account_entries alone: following its foreign keys would reflect members,
# whose expression indexes SQLAlchemy can only skip with a warning.
_NO_FK_TABLES = {"resolve_fks": False}
_INDEXES = (
    ("ix_credit_entries_at", "credit_entries", ["at"]),
    ("ix_credit_entries_appointment_id", "credit_entries", ["appointment_id"]),
    ("ix_account_entries_at", "account_entries", ["at"]),
    ("ix_credit_lots_expires_on", "credit_lots", ["expires_on"]),
    ("ix_credit_lots_voided_at", "credit_lots", ["voided_at"]),
    ("ix_appointments_status_start", "appointments", ["status", "starts_at"]),
    (
        "ix_appointments_start_counted", "appointments",
        ["starts_at", "status", "appointment_type_id", "staff_id", "member_id", "lot_id"],
    ),
)  # fmt: skip


def upgrade() -> None:
    op.add_column("account_entries", sa.Column("method", sa.String(length=10), nullable=True))
    op.execute("UPDATE account_entries SET method = 'unknown' WHERE kind = 'payment'")
    # No table points at account_entries, so SQLite's batch copy of it is safe.
    with op.batch_alter_table("account_entries", reflect_kwargs=_NO_FK_TABLES) as batch:
        batch.create_check_constraint(op.f("ck_account_entries_method"), _METHODS)
        batch.create_check_constraint(
            op.f("ck_account_entries_method_only_on_payments"), _ONLY_ON_PAYMENTS
        )
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("account_entries", reflect_kwargs=_NO_FK_TABLES) as batch:
        batch.drop_constraint(op.f("ck_account_entries_method_only_on_payments"), type_="check")
        batch.drop_constraint(op.f("ck_account_entries_method"), type_="check")
        batch.drop_column("method")
