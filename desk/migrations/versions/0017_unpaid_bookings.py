"""bookings made without a credit ("book now, pay later")

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-01 17:45:00

``appointments.unpaid`` marks a booking that was made without a credit and still
owes one: it has no paying lot (``lot_id`` is empty) until the member's next credits
of its type settle it (desk/services/credits/settle_unpaid.py), which gives it its
lot and clears the mark. Bookings made before this revision were all paid.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a server default: no batch copy of the largest table.
    op.add_column(
        "appointments",
        sa.Column("unpaid", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # The settling read: a member's owing bookings of a type, oldest first.
    op.create_index(
        "ix_appointments_unpaid_member", "appointments", ["unpaid", "member_id", "starts_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_appointments_unpaid_member", table_name="appointments")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_column("unpaid")
