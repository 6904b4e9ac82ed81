"""member holds (freeze): the dates a member can't book, and the lots a hold moved

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-01 18:00:00

``member_holds`` is a member on hold from one date to another (both held), with a
reason; ending it early keeps the day they came back, cancelling it keeps when.
``member_hold_lots`` remembers each lot whose expiry a hold moved: the date before
and by how many days, so ending the hold early moves it back by what was stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _staff(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["staff_members.id"], name=op.f(f"fk_member_holds_{column}_staff_members")
    )


def upgrade() -> None:
    op.create_table(
        "member_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_early_on", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_member_holds_ends_on_or_after_start")
        ),
        sa.CheckConstraint(
            "ended_early_on IS NULL OR (ended_early_on > starts_on AND ended_early_on <= ends_on)",
            name=op.f("ck_member_holds_ended_early_inside"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_holds_member_id_members")
        ),
        _staff("created_by_id"),
        _staff("ended_by_id"),
        _staff("cancelled_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_holds")),
    )
    op.create_index("ix_member_holds_member_id", "member_holds", ["member_id"])
    op.create_table(
        "member_hold_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("expires_on_before", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hold_id"], ["member_holds.id"], name=op.f("fk_member_hold_lots_hold_id_member_holds")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["credit_lots.id"], name=op.f("fk_member_hold_lots_lot_id_credit_lots")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_hold_lots")),
        sa.UniqueConstraint("hold_id", "lot_id", name=op.f("uq_member_hold_lots_hold_id_lot_id")),
    )
    op.create_index("ix_member_hold_lots_lot_id", "member_hold_lots", ["lot_id"])


def downgrade() -> None:
    op.drop_index("ix_member_hold_lots_lot_id", table_name="member_hold_lots")
    op.drop_table("member_hold_lots")
    op.drop_index("ix_member_holds_member_id", table_name="member_holds")
    op.drop_table("member_holds")
