"""Alembic environment: Desk hands in an open connection inside one transaction."""

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from desk.models import Base

config = context.config
target_metadata = Base.metadata


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # The trigram search index (member_search and its shadow tables) is managed
    # by hand in migrations; autogenerate must not propose dropping it.
    return not (type_ == "table" and name is not None and name.startswith("member_search"))


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
