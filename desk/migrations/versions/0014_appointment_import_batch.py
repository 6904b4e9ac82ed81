"""appointments remember the import that booked them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:00:00

``appointments.import_batch`` names the import of booked sessions that made the
booking, like ``members.import_batch`` and ``credit_lots.import_batch``: undoing
that import cancels exactly those bookings and no booking a desk made later
with one of the import's credits. Bookings made before this revision keep it
empty (an older import of booked sessions is refused as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of appointments would rewrite the largest table.
    op.add_column("appointments", sa.Column("import_batch", sa.String(36), nullable=True))
    op.create_index("ix_appointments_import_batch", "appointments", ["import_batch"])


def downgrade() -> None:
    op.drop_index("ix_appointments_import_batch", table_name="appointments")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_column("import_batch")
