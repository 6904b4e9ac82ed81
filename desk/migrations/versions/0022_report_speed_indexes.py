"""indexes for the reports at 100,000 members

Revision ID: 0022
Revises: 0015
Create Date: 2026-12-01 17:30:00

Today's liability counts the credits still booked per lot: a covering index on
``appointments(status, starts_at, lot_id)`` answers that (and the consumed
bookings of a period) from the index alone, without reading the table.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    ("ix_appointments_status_start_lot", "appointments", ["status", "starts_at", "lot_id"]),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
