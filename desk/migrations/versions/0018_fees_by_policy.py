"""fees by policy: a type's late-cancel and no-show fees, fee and waiver account entries

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-01 17:45:00

``appointment_types`` gets ``late_cancel_fee_cents`` and ``no_show_fee_cents``
(0: none) and ``fee_replaces_forfeit`` (with a fee, the credit goes back to its
lot instead of being forfeited). ``account_entries`` gets two kinds, ``fee``
(negative, naming its ``appointment_id``) and ``waiver`` (positive, naming the
fee it reverses in ``reverses_id``, UNIQUE: one waiver per fee), and the CHECKs
that say so. Nothing already stored changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS_BEFORE = "kind IN ('charge', 'payment', 'credit', 'refund')"
_KINDS = "kind IN ('charge', 'payment', 'credit', 'refund', 'fee', 'waiver')"
_SIGN_BEFORE = (
    "(kind = 'charge' AND amount_cents < 0) OR (kind = 'refund' AND amount_cents < 0)"
    " OR (kind IN ('payment', 'credit') AND amount_cents > 0)"
)
_SIGN = (
    "(kind IN ('charge', 'refund', 'fee') AND amount_cents < 0)"
    " OR (kind IN ('payment', 'credit', 'waiver') AND amount_cents > 0)"
)
_FEE_LINKS = (
    "(kind <> 'fee' OR appointment_id IS NOT NULL)"
    " AND ((kind = 'waiver') = (reverses_id IS NOT NULL))"
)
# Reflect account_entries alone (see 0011): no other table points at it.
_NO_FK_TABLES = {"resolve_fks": False}
_TYPE_COLUMNS = ("late_cancel_fee_cents", "no_show_fee_cents")


def upgrade() -> None:
    # Plain ADD COLUMNs on appointment_types: others point at it, so no batch copy.
    for name in _TYPE_COLUMNS:
        op.add_column(
            "appointment_types", sa.Column(name, sa.Integer(), nullable=False, server_default="0")
        )
    op.add_column(
        "appointment_types",
        sa.Column("fee_replaces_forfeit", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    with op.batch_alter_table("account_entries", reflect_kwargs=_NO_FK_TABLES) as batch:
        batch.add_column(sa.Column("appointment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reverses_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_account_entries_appointment_id_appointments"),
            "appointments", ["appointment_id"], ["id"],
        )  # fmt: skip
        batch.create_foreign_key(
            op.f("fk_account_entries_reverses_id_account_entries"),
            "account_entries", ["reverses_id"], ["id"],
        )  # fmt: skip
        batch.create_unique_constraint(op.f("uq_account_entries_reverses_id"), ["reverses_id"])
        batch.drop_constraint(op.f("ck_account_entries_kind"), type_="check")
        batch.drop_constraint(op.f("ck_account_entries_sign_matches_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_account_entries_kind"), _KINDS)
        batch.create_check_constraint(op.f("ck_account_entries_sign_matches_kind"), _SIGN)
        batch.create_check_constraint(op.f("ck_account_entries_fee_links"), _FEE_LINKS)
    op.create_index("ix_account_entries_appointment_id", "account_entries", ["appointment_id"])


def downgrade() -> None:
    op.drop_index("ix_account_entries_appointment_id", table_name="account_entries")
    op.execute("DELETE FROM account_entries WHERE kind = 'waiver'")
    op.execute("DELETE FROM account_entries WHERE kind = 'fee'")
    with op.batch_alter_table("account_entries", reflect_kwargs=_NO_FK_TABLES) as batch:
        batch.drop_constraint(op.f("ck_account_entries_fee_links"), type_="check")
        batch.drop_constraint(op.f("ck_account_entries_sign_matches_kind"), type_="check")
        batch.drop_constraint(op.f("ck_account_entries_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_account_entries_kind"), _KINDS_BEFORE)
        batch.create_check_constraint(op.f("ck_account_entries_sign_matches_kind"), _SIGN_BEFORE)
        batch.drop_constraint(op.f("uq_account_entries_reverses_id"), type_="unique")
        batch.drop_constraint(
            op.f("fk_account_entries_reverses_id_account_entries"), type_="foreignkey"
        )
        batch.drop_constraint(
            op.f("fk_account_entries_appointment_id_appointments"), type_="foreignkey"
        )
        batch.drop_column("reverses_id")
        batch.drop_column("appointment_id")
    with op.batch_alter_table("appointment_types") as batch:
        batch.drop_column("fee_replaces_forfeit")
        for name in _TYPE_COLUMNS:
            batch.drop_column(name)
