"""gym settings; status changes can be undone

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00

``gym_settings`` holds settings every desk shares (when check-in opens), one
text value per key. Credit entries get a ``reverse`` kind (undoing a check-in,
no-show or late cancel moves no credit: it stays with the booking) and a
``reverses_id`` naming the forfeit a reverse entry undoes, unique so none is
undone twice. Since a booking forfeited, undone and forfeited again has two
forfeits, the one-entry-per-kind rule now covers the debit and the give-back
only (a partial unique index).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_KINDS = "('grant', 'book', 'release', 'forfeit', 'adjust', 'expire')"
_OLD_DELTA = (
    "(kind = 'grant' AND delta > 0) OR (kind = 'book' AND delta = -1)"
    " OR (kind = 'release' AND delta = 1) OR (kind = 'forfeit' AND delta = 0)"
    " OR (kind = 'adjust' AND delta <> 0) OR (kind = 'expire' AND delta < 0)"
)
_NEW_DELTA = _OLD_DELTA + " OR (kind = 'reverse' AND delta = 0)"
_OLD_APPOINTMENT = "kind NOT IN ('book', 'release', 'forfeit') OR appointment_id IS NOT NULL"
_NEW_APPOINTMENT = (
    "kind NOT IN ('book', 'release', 'forfeit', 'reverse') OR appointment_id IS NOT NULL"
)
_ONE_BOOK_ONE_RELEASE = "kind IN ('book', 'release')"
_UNIQUE = "uq_credit_entries_appointment_id_kind"
# Reflect credit_entries alone: following its foreign keys would reflect members,
# whose expression indexes SQLAlchemy can only skip with a warning.
_NO_FK_TABLES = {"resolve_fks": False}


def upgrade() -> None:
    op.create_table(
        "gym_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["staff_members.id"],
            name=op.f("fk_gym_settings_updated_by_id_staff_members"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_gym_settings")),
    )  # fmt: skip
    # No table points at credit_entries, so SQLite's batch copy of it is safe.
    with op.batch_alter_table("credit_entries", reflect_kwargs=_NO_FK_TABLES) as batch:
        batch.drop_constraint(op.f(_UNIQUE), type_="unique")
        batch.drop_constraint(op.f("ck_credit_entries_kind"), type_="check")
        batch.drop_constraint(op.f("ck_credit_entries_delta_matches_kind"), type_="check")
        batch.drop_constraint(
            op.f("ck_credit_entries_booking_entries_name_appointment"), type_="check"
        )
        batch.add_column(sa.Column("reverses_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(            op.f("fk_credit_entries_reverses_id_credit_entries"), "credit_entries",
            ["reverses_id"], ["id"],
        )  # fmt: skip
        batch.create_unique_constraint(op.f("uq_credit_entries_reverses_id"), ["reverses_id"])
        batch.create_check_constraint(
            op.f("ck_credit_entries_kind"), "kind IN " + _OLD_KINDS[:-1] + ", 'reverse')"
        )
        batch.create_check_constraint(op.f("ck_credit_entries_delta_matches_kind"), _NEW_DELTA)
        batch.create_check_constraint(
            op.f("ck_credit_entries_booking_entries_name_appointment"), _NEW_APPOINTMENT
        )
        batch.create_check_constraint(
            op.f("ck_credit_entries_reverse_has_reason"), "kind <> 'reverse' OR length(reason) > 0"
        )
    op.create_index(
        op.f(_UNIQUE),
        "credit_entries",
        ["appointment_id", "kind"],
        unique=True,
        sqlite_where=sa.text(_ONE_BOOK_ONE_RELEASE),
        postgresql_where=sa.text(_ONE_BOOK_ONE_RELEASE),
    )


def downgrade() -> None:
    op.execute("DELETE FROM credit_entries WHERE kind = 'reverse'")
    op.drop_index(op.f(_UNIQUE), table_name="credit_entries")
    with op.batch_alter_table("credit_entries", reflect_kwargs=_NO_FK_TABLES) as batch:
        batch.drop_constraint(op.f("ck_credit_entries_reverse_has_reason"), type_="check")
        batch.drop_constraint(
            op.f("ck_credit_entries_booking_entries_name_appointment"), type_="check"
        )
        batch.drop_constraint(op.f("ck_credit_entries_delta_matches_kind"), type_="check")
        batch.drop_constraint(op.f("ck_credit_entries_kind"), type_="check")
        batch.drop_constraint(op.f("uq_credit_entries_reverses_id"), type_="unique")
        batch.drop_constraint(
            op.f("fk_credit_entries_reverses_id_credit_entries"), type_="foreignkey"
        )
        batch.drop_column("reverses_id")
        batch.create_check_constraint(op.f("ck_credit_entries_kind"), "kind IN " + _OLD_KINDS)
        batch.create_check_constraint(op.f("ck_credit_entries_delta_matches_kind"), _OLD_DELTA)
        batch.create_check_constraint(
            op.f("ck_credit_entries_booking_entries_name_appointment"), _OLD_APPOINTMENT
        )
        batch.create_unique_constraint(op.f(_UNIQUE), ["appointment_id", "kind"])
    op.drop_table("gym_settings")
