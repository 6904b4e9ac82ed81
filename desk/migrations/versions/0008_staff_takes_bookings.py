"""staff who take bookings

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00

``staff_members.takes_bookings`` says whether someone coaches: the calendar's
day view has a column for each active staff member who takes bookings (and for
anyone booked that day), the week view a lane. Everyone there already keeps a
column, so existing rows start true.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: a batch copy of staff_members would drop and
    # recreate a table that nearly every other table points at.
    op.add_column(
        "staff_members",
        sa.Column("takes_bookings", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    with op.batch_alter_table("staff_members") as batch:
        batch.drop_column("takes_bookings")
