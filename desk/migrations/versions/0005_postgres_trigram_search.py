"""trigram search indexes on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:30:00

SQLite has searched through its FTS5 trigram table since 0001. On PostgreSQL a
search for part of a name, an email or a phone number was a LIKE over every
member; pg_trgm's GIN indexes answer the same LIKE from the index. The indexed
expressions are exactly those desk/services/people/member_search.py filters on, so the
planner can match them.
"""

import logging
from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("desk.migrations")

HAYSTACK = (
    "lower((first_name || ' ') || last_name) || ' ' || lower(coalesce(email, ''))"
    " || ' ' || coalesce(phone_digits, '')"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # pg_trgm ships with PostgreSQL and is a trusted extension (13+): the database's
    # owner may create it. Where it can't be (a server without contrib, a role
    # without CREATE), search still works, by scanning: say so and go on.
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - any refusal leaves search working
        log.warning("pg_trgm unavailable (%s); member search will scan the table", exc)
        return
    op.execute(
        f"CREATE INDEX ix_members_search_trgm ON members USING gin (({HAYSTACK}) gin_trgm_ops)"
    )
    op.execute(
        "CREATE INDEX ix_members_phone_trgm ON members USING gin (phone_digits gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_members_phone_trgm")
    op.execute("DROP INDEX IF EXISTS ix_members_search_trgm")
