"""Alembic environment: Desk hands in an open connection inside one transaction."""

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from desk.models import Base

config = context.config
_HAND_MADE_INDEXES = {"ix_members_search_trgm", "ix_members_phone_trgm"}
target_metadata = Base.metadata


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # The trigram search indexes (SQLite's member_search table and its shadow tables,
    # PostgreSQL's pg_trgm indexes) are managed by hand in migrations; autogenerate
    # must not propose dropping them.
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("member_search")
    return not (type_ == "index" and name in _HAND_MADE_INDEXES)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Developer use (`alembic revision --autogenerate`) with sqlalchemy.url set.
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Desk's migrations run online only")
run_migrations_online()
