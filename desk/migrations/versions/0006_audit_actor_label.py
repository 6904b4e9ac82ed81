"""audit events name a system actor

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

Writes no longer happen "as nobody": the command line and start-up housekeeping
act as a named system actor ("command line (os user maria)"), and the audit log
keeps that name next to the staff id, which stays empty for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("actor_label", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("actor_label")
