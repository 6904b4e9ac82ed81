"""import batches

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:07:02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('members', 'credits')", name=op.f("ck_import_batches_kind")),
        sa.CheckConstraint(
            "status IN ('imported', 'undone')", name=op.f("ck_import_batches_status")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff_members.id"],
            name=op.f("fk_import_batches_created_by_id_staff_members"),
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["staff_members.id"],
            name=op.f("fk_import_batches_undone_by_id_staff_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index(
        op.f("ix_import_batches_file_sha256"), "import_batches", ["file_sha256"], unique=False
    )
    # A plain ADD COLUMN, not a batch copy: recreating members would drop the
    # triggers that keep the search index in step.
    op.add_column("members", sa.Column("import_batch", sa.String(length=36), nullable=True))
    op.create_index(op.f("ix_members_import_batch"), "members", ["import_batch"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_members_import_batch"), table_name="members")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("import_batch")
    op.drop_index(op.f("ix_import_batches_file_sha256"), table_name="import_batches")
    op.drop_table("import_batches")
