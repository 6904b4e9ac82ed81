"""The race harness's desk pool (tests/services/race_pool.py): reused, yet fresh for each test.

The desk processes are started once per test process and lent to one race
test after another. What a race test relies on still holds: each borrowing
runs on that test's database with new connections, closed when the test ends
(PostgreSQL shows none left); a desk that died is replaced by a new pool; a
second ``Desks`` opened while the first is in use gets desks of its own.
"""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import text

from desk.db import open_database
from tests.migrated import migrated_sqlite
from tests.postgres import TEMPLATE
from tests.services import race_harness as race
from tests.services.race_pool import PoolBroken


def act(services, index, task):
    """Which process this desk is, and the database its services are on."""
    if task[0] == "die":
        os._exit(3)
    with services.db.read() as session:
        here = session.execute(text("SELECT count(*) FROM members")).scalar_one()
        server_pid = (
            session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            if services.db.is_postgresql
            else None
        )
    return os.getpid(), services.db.url.render_as_string(hide_password=False), here, server_pid


def _still_connected(database, results):
    """The desks' server connections still open (a closed one's server process may take a
    moment to leave pg_stat_activity: asked a few times)."""
    theirs = {r.value[3] for r in results}
    for _ in range(50):
        with database.read() as session:
            left = theirs & set(session.execute(text("SELECT pid FROM pg_stat_activity")).scalars())
        if not left:
            break
        time.sleep(0.1)
    return left


def _seed_members(services, n):
    for i in range(n):
        services.members.create(first_name="Ann", last_name=f"No {i}", **race.acting(None))


@pytest.fixture
def other_database(backend, tmp_path, request):
    """A second migrated, empty database on the same backend: the next test's."""
    if backend == "sqlite":
        db = migrated_sqlite(tmp_path / "other.sqlite3")
        yield db
        db.dispose()
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database(template=TEMPLATE)
    db = open_database(url)
    yield db
    db.dispose()
    server.drop_database(url)


def test_the_same_desks_serve_one_test_after_another_each_on_its_own_database(
    services, database, other_database, backend
):
    _seed_members(services, 2)
    first_url, second_url = race.url_of(database), race.url_of(other_database)
    with race.Desks(first_url, act) as desks:
        first = desks.race([("where",)] * race.PROCESSES)
    with race.Desks(second_url, act) as desks:
        second = desks.race([("where",)] * race.PROCESSES)
    if backend == "postgresql":  # given back: every desk closed its connections
        assert _still_connected(database, first + second) == set()
    assert [r.status for r in first + second] == ["ok"] * (2 * race.PROCESSES), first + second
    assert {r.value[1] for r in first} == {first_url}
    assert {r.value[1] for r in second} == {second_url}
    assert {r.value[2] for r in first} == {2}
    assert {r.value[2] for r in second} == {0}
    pids = [r.value[0] for r in first]
    assert len(set(pids)) == race.PROCESSES  # eight processes, not one desk eight times
    assert [r.value[0] for r in second] == pids  # and the same eight for the next test


def test_a_desk_that_died_is_replaced_by_a_new_pool(database):
    url = race.url_of(database)
    with race.Desks(url, act, processes=2) as desks:
        before = {r.value[0] for r in desks.race([("where",)] * 2)}
        with pytest.raises(PoolBroken, match="stopped answering"):
            desks.race([("die",), ("where",)])
    with race.Desks(url, act, processes=2) as desks:
        after = desks.race([("where",)] * 2)
    assert [r.status for r in after] == ["ok", "ok"], after
    assert before.isdisjoint(r.value[0] for r in after)


def test_desks_opened_while_others_are_in_use_are_their_own(database):
    url = race.url_of(database)
    with race.Desks(url, act, processes=2) as outer:
        with race.Desks(url, act, processes=2) as inner:
            inside = inner.race([("where",)] * 2)
        outside = outer.race([("where",)] * 2)
    assert [r.status for r in inside + outside] == ["ok"] * 4, inside + outside
    assert {r.value[0] for r in inside}.isdisjoint(r.value[0] for r in outside)
