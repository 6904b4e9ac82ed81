"""packages and lots valid N days from first use

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 17:40:00

``session_packages.first_use_days``: a package may be valid N days from the first
session a credit of it pays for, instead of a fixed validity from the sale.
``credit_lots.first_use_days`` remembers N on each lot sold, so a later edit of the
package changes no lot already sold. A lot with N and no expiry date has not been
used yet; its first booking gives it an expiry (docs/design.md, first-use expiry).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (nullable, no constraint): no batch copy of tables others point at.
    op.add_column("session_packages", sa.Column("first_use_days", sa.Integer(), nullable=True))
    op.add_column("credit_lots", sa.Column("first_use_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credit_lots") as batch:
        batch.drop_column("first_use_days")
    with op.batch_alter_table("session_packages") as batch:
        batch.drop_column("first_use_days")
