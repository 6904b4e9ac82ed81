"""change log: what each write changed, for the other desks

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:30:00

Every committed write adds one ``change_log`` row in its own transaction; its id
comes from the one-row ``change_counter`` (locked by the update until commit), so
ids are gapless and in commit order. Other desks read the rows after the last id
they saw (PostgreSQL also sends NOTIFY desk_changes on commit).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("desk", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_at", "change_log", ["at"])
    counter = op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    op.bulk_insert(counter, [{"id": 1, "last": 0}])


def downgrade() -> None:
    op.drop_table("change_counter")
    op.drop_index("ix_change_log_at", table_name="change_log")
    op.drop_table("change_log")
