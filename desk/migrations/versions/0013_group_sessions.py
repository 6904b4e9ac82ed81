"""group sessions: a capacity per appointment type, and a waitlist

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:00:00

A session is the appointments of one coach, one type, one start and one end;
``appointment_types.capacity`` says how many members it holds (existing types
start at 1, so every existing appointment is a session of its own and nothing
about it changes). ``waitlist_entries`` holds the members waiting for a place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: a batch copy of appointment_types would drop
    # and recreate a table that credits, appointments and the catalog point at. The
    # rule "at least 1" is the service's (and the model's CHECK on new databases).
    op.add_column(
        "appointment_types",
        sa.Column("capacity", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_waitlist_entries_ends_after_start")),
        sa.CheckConstraint(
            "status IN ('waiting', 'promoted', 'left')", name=op.f("ck_waitlist_entries_status")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_waitlist_entries_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["appointment_type_id"],
            ["appointment_types.id"],
            name=op.f("fk_waitlist_entries_appointment_type_id_appointment_types"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"], name=op.f("fk_waitlist_entries_staff_id_staff_members")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_members.id"],
            name=op.f("fk_waitlist_entries_created_by_id_staff_members"),
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"],
            ["staff_members.id"],
            name=op.f("fk_waitlist_entries_ended_by_id_staff_members"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_waitlist_entries_appointment_id_appointments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entries")),
    )
    op.create_index(
        "ix_waitlist_entries_session", "waitlist_entries", ["staff_id", "starts_at", "status"]
    )
    op.create_index("ix_waitlist_entries_member", "waitlist_entries", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_waitlist_entries_member", table_name="waitlist_entries")
    op.drop_index("ix_waitlist_entries_session", table_name="waitlist_entries")
    op.drop_table("waitlist_entries")
    with op.batch_alter_table("appointment_types") as batch:
        batch.drop_column("capacity")
