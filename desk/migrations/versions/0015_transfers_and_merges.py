"""credits remember the lot they were transferred from; members where they were merged

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 16:00:00

``credit_lots.transferred_from_lot_id`` links a lot opened by a transfer of
credits to the lot they left (which closed by an adjustment entry), so either
side's history can say where the credits went. ``members.merged_into_id``
names the record a duplicate member was merged into; the merged-away row stays
(archived) so old audit rows, receipts and searches can follow it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch copy would rewrite the lots and members tables that
    # entries, appointments and the account point at. SQLite can add a column that
    # references a table only inline (Alembic would ask for ALTER ... ADD CONSTRAINT).
    for table, column, target in (
        ("credit_lots", "transferred_from_lot_id", "credit_lots"),
        ("members", "merged_into_id", "members"),
    ):
        if op.get_context().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)")
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(
                f"fk_{table}_{column}_{target}", table, target, [column], ["id"]
            )
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    op.drop_index("ix_members_merged_into_id", table_name="members")
    op.drop_index("ix_credit_lots_transferred_from_lot_id", table_name="credit_lots")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("merged_into_id")
    with op.batch_alter_table("credit_lots") as batch:
        batch.drop_column("transferred_from_lot_id")
