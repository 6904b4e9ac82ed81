"""shared pools: credit_pools, pool_members, credit_lots.pool_id

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-01 18:00:00

A family or partner group shares credits: ``credit_pools`` names the group,
``pool_members`` records who is in it from when until when (at most one current
pool per member), and ``credit_lots.pool_id`` marks a lot as the pool's (its
``member_id`` stays the buyer). Existing lots have no pool: nothing changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_pools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("dissolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_members.id"],
            name=op.f("fk_credit_pools_created_by_id_staff_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_pools")),
    )
    op.create_table(
        "pool_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pool_id"], ["credit_pools.id"], name=op.f("fk_pool_members_pool_id_credit_pools")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_pool_members_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pool_members")),
    )
    op.create_index("ix_pool_members_pool_id", "pool_members", ["pool_id"])
    op.create_index(
        "ix_pool_members_current_member",
        "pool_members",
        ["member_id"],
        unique=True,
        sqlite_where=sa.text("left_at IS NULL"),
        postgresql_where=sa.text("left_at IS NULL"),
    )
    # A plain ADD COLUMN (a batch copy would rewrite the lots table that entries,
    # appointments and the account point at); SQLite takes the reference inline only.
    if op.get_context().dialect.name == "sqlite":
        op.execute("ALTER TABLE credit_lots ADD COLUMN pool_id INTEGER REFERENCES credit_pools (id)")
    else:
        op.add_column("credit_lots", sa.Column("pool_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_credit_lots_pool_id_credit_pools", "credit_lots", "credit_pools", ["pool_id"], ["id"]
        )
    op.create_index("ix_credit_lots_pool_id", "credit_lots", ["pool_id"])


def downgrade() -> None:
    op.drop_index("ix_credit_lots_pool_id", table_name="credit_lots")
    with op.batch_alter_table("credit_lots") as batch:
        batch.drop_column("pool_id")
    op.drop_index("ix_pool_members_current_member", table_name="pool_members")
    op.drop_index("ix_pool_members_pool_id", table_name="pool_members")
    op.drop_table("pool_members")
    op.drop_table("credit_pools")
