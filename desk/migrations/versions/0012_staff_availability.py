"""coaches' hours, time off, the types they deliver; booking rules per type

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:00:00

- ``staff_weekly_hours``: a staff member's working hours, several ranges a day,
  as wall-clock minutes of the gym's day (so a range stays 09:00-13:00 across a
  change to or from summer time).
- ``staff_time_exceptions``: a dated range of time off, or a one-off extra
  shift, in the gym's wall-clock time (naive local datetimes), with a note.
- ``staff_delivered_types`` and ``staff_members.delivers_all_types``: which
  appointment types someone delivers; existing staff deliver all of them.
- ``appointment_types``: buffer before/after, minimum notice and how many days
  ahead a session may be booked (0: no limit). Existing types get zeros, so
  nothing changes for an existing gym until the rules are set.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TYPE_COLUMNS = (
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "horizon_days",
)


def upgrade() -> None:
    op.create_table(
        "staff_weekly_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name=op.f("ck_staff_weekly_hours_weekday")),
        sa.CheckConstraint(
            "start_minute >= 0 AND end_minute <= 1440 AND end_minute > start_minute",
            name=op.f("ck_staff_weekly_hours_range"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"],
            name=op.f("fk_staff_weekly_hours_staff_id_staff_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_weekly_hours")),
    )  # fmt: skip
    op.create_index("ix_staff_weekly_hours_staff_id", "staff_weekly_hours", ["staff_id"])
    op.create_table(
        "staff_time_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("starts_local", sa.DateTime(timezone=False), nullable=False),
        sa.Column("ends_local", sa.DateTime(timezone=False), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.CheckConstraint("kind IN ('off', 'extra')", name=op.f("ck_staff_time_exceptions_kind")),
        sa.CheckConstraint("ends_local > starts_local", name=op.f("ck_staff_time_exceptions_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"],
            name=op.f("fk_staff_time_exceptions_staff_id_staff_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_time_exceptions")),
    )  # fmt: skip
    op.create_index(
        "ix_staff_time_exceptions_staff_start", "staff_time_exceptions", ["staff_id", "starts_local"]
    )
    op.create_table(
        "staff_delivered_types",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("appointment_type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_members.id"],
            name=op.f("fk_staff_delivered_types_staff_id_staff_members"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_type_id"], ["appointment_types.id"],
            name=op.f("fk_staff_delivered_types_appointment_type_id_appointment_types"),
        ),
        sa.PrimaryKeyConstraint("staff_id", "appointment_type_id", name=op.f("pk_staff_delivered_types")),
    )  # fmt: skip
    # Plain ADD COLUMNs with defaults (no batch copy of tables others point at).
    op.add_column(
        "staff_members",
        sa.Column("delivers_all_types", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    for name in _TYPE_COLUMNS:
        op.add_column(
            "appointment_types",
            sa.Column(name, sa.Integer(), nullable=False, server_default="0"),
        )


def downgrade() -> None:
    with op.batch_alter_table("appointment_types") as batch:
        for name in _TYPE_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("staff_members") as batch:
        batch.drop_column("delivers_all_types")
    op.drop_table("staff_delivered_types")
    op.drop_index("ix_staff_time_exceptions_staff_start", "staff_time_exceptions")
    op.drop_table("staff_time_exceptions")
    op.drop_index("ix_staff_weekly_hours_staff_id", "staff_weekly_hours")
    op.drop_table("staff_weekly_hours")
