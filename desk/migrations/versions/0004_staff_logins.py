"""staff logins

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("staff_members", sa.Column("username", sa.String(length=60), nullable=True))
    op.add_column("staff_members", sa.Column("password_hash", sa.String(length=200), nullable=True))
    # A unique index rather than a constraint: SQLite can add it without copying the table.
    op.create_index(
        op.f("uq_staff_members_username"), "staff_members", ["username"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("uq_staff_members_username"), table_name="staff_members")
    with op.batch_alter_table("staff_members") as batch_op:
        batch_op.drop_column("password_hash")
        batch_op.drop_column("username")
