"""staff pay rules for the coach pay report

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:30:00

``staff_pay_rules``: what a staff member earns for an attended session of one
appointment type, either a rate in cents or a whole percentage of the value of
the credit that paid for it (one of the two, a CHECK), one rule per staff
member and type.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_pay_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer(), nullable=False),
        sa.Column("rate_cents", sa.Integer(), nullable=True),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(rate_cents IS NULL) <> (percent IS NULL)",
            name=op.f("ck_staff_pay_rules_rate_or_percent"),
        ),
        sa.CheckConstraint(
            "rate_cents IS NULL OR rate_cents >= 0",
            name=op.f("ck_staff_pay_rules_rate_not_negative"),
        ),
        sa.CheckConstraint(
            "percent IS NULL OR (percent >= 0 AND percent <= 100)",
            name=op.f("ck_staff_pay_rules_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"],
            name=op.f("fk_staff_pay_rules_staff_id_staff_members"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_type_id"], ["appointment_types.id"],
            name=op.f("fk_staff_pay_rules_appointment_type_id_appointment_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_pay_rules")),
        sa.UniqueConstraint(
            "staff_id", "appointment_type_id",
            name=op.f("uq_staff_pay_rules_staff_id_appointment_type_id"),
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("staff_pay_rules")
