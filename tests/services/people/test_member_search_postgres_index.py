"""PostgreSQL answers a substring search from its pg_trgm indexes (migration 0005)."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, text

from desk.db import Database, current_revision, open_database
from desk.migrations import HEAD_REVISION
from desk.services.container import Services
from tests.services.factories import make_member

pytestmark = pytest.mark.postgresql_only


def _search_plans(database: Database, services: Services, query: str) -> list[str]:
    """EXPLAIN of the statement a search sends, with sequential scans priced out.

    With a handful of rows the planner would rightly scan the table anyway; turning
    sequential scans off asks instead whether the index can serve this statement at
    all, which is what fails when the query's expression differs from the index's.
    """
    sent: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM members" in statement:
            sent.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        assert services.members.search(query, 50)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    assert len(sent) == 1
    statement, parameters = sent[0]
    with database.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute("EXPLAIN " + statement, parameters)
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def members(services: Services) -> Services:
    make_member(services, "Maria", "Hernandez", email="maria.h@example.com", phone="(380) 984-1120")
    make_member(services, "Luis", "Fernandez", email="luis@example.com", phone="212 555 0100")
    make_member(services, "Ann", "Smith", email="ann@example.com")
    return services


def test_a_name_fragment_uses_the_trigram_index(database: Database, members: Services) -> None:
    plan = "\n".join(_search_plans(database, members, "ndez"))
    assert "ix_members_search_trgm" in plan, plan


def test_several_words_use_the_trigram_index(database: Database, members: Services) -> None:
    plan = "\n".join(_search_plans(database, members, "mar hern"))
    assert "ix_members_search_trgm" in plan, plan


def test_a_phone_fragment_uses_the_phone_trigram_index(
    database: Database, members: Services
) -> None:
    plan = "\n".join(_search_plans(database, members, "984-11"))
    assert "ix_members_phone_trgm" in plan, plan


def test_the_indexed_search_finds_the_same_members(members: Services) -> None:
    assert {m.full_name for m in members.members.search("ndez")} == {
        "Maria Hernandez",
        "Luis Fernandez",
    }
    assert [m.full_name for m in members.members.search("984 11")] == ["Maria Hernandez"]


def test_without_pg_trgm_rights_the_schema_still_migrates_and_search_scans(
    db_url: str, postgres_server: Any, clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A role that may create tables but not extensions: 0005 says so and moves on."""
    name = db_url.rsplit("/", 1)[1]
    with postgres_server._admin() as admin:
        admin.execute(
            "DO $$ BEGIN CREATE ROLE desk_plain LOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
    with psycopg.connect(db_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
        c.execute("GRANT USAGE, CREATE ON SCHEMA public TO desk_plain")
    plain_url = db_url.replace("//postgres@", "//desk_plain@")
    assert plain_url != db_url
    assert name in plain_url

    with caplog.at_level(logging.WARNING, logger="desk.migrations"):
        db = open_database(plain_url)
    try:
        assert "pg_trgm unavailable" in caplog.text
        assert current_revision(db) == HEAD_REVISION
        with db.engine.connect() as conn:
            indexes = conn.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'members'")
            ).scalars()
            assert not {"ix_members_search_trgm", "ix_members_phone_trgm"} & set(indexes)
        services = Services.build(db, clock)
        make_member(services, "Maria", "Hernandez", email="maria.h@example.com")
        assert [m.full_name for m in services.members.search("ndez")] == ["Maria Hernandez"]
    finally:
        db.dispose()


def test_every_connection_plans_with_the_values_at_hand(database: Database) -> None:
    """Not a generic plan chosen once for any search text (see db._on_postgresql_connect)."""
    for _ in range(3):  # pooled connections, fresh or reused, after commits and rollbacks
        with database.read() as session:
            assert session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
        with database.write() as session:
            assert session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
