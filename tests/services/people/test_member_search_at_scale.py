"""Search at 100,000 members, built by the demo generator (about 90 s, once per
machine: tests/services/people/big_gym.py caches the file)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from desk.db import Database, open_database
from desk.services.container import Services
from desk.services.core.read_models import MemberView
from tests.services.people.big_gym import cached_gym, clock, private_copy

MEMBERS = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path: Path = tmp_path_factory.mktemp("big") / "desk.sqlite3"
    db = open_database(f"sqlite:///{private_copy(cached_gym(MEMBERS, seed=42), path)}")
    assert Services.build(db, clock()).members.count() == MEMBERS
    yield Services.build(db, clock())
    db.dispose()


@pytest.fixture(scope="module")
def sample(big: Services) -> list[MemberView]:
    rng = random.Random(5)
    picked = []
    while len(picked) < 25:
        member = big.members.get(rng.randint(1, MEMBERS))
        if member.email and member.phone:
            picked.append(member)
    return picked


def ids(services: Services, text: str, limit: int = 500) -> list[int]:
    return [m.id for m in services.members.search(text, limit)]


@pytest.mark.slow
def test_finds_by_substring_of_every_field(big, sample):
    for member in sample:
        local = member.email.split("@")[0]
        email_part = local[2:] + "@exa"  # a middle of the address, not its start
        digits = re.sub(r"\D", "", member.phone)
        phone_part = f"{digits[3:6]}-{digits[6:]}"  # typed with a dash, stored with a space
        full = f"{member.first_name} {member.last_name}".lower()
        name_part = full[1:-1]
        assert member.id in ids(big, email_part), email_part
        assert member.id in ids(big, phone_part), phone_part
        assert member.id in ids(big, name_part), name_part
        assert member.id in ids(big, member.email.upper()), "email, other case"


@pytest.mark.slow
def test_exact_email_ranks_first(big, sample):
    for member in sample:
        assert ids(big, member.email, 5)[0] == member.id


def rank(match, query: str) -> int:
    fields = [*match.full_name.lower().split(), match.full_name.lower(), (match.email or "")]
    if query in fields:
        return 0
    if any(f.startswith(query) for f in fields):
        return 1
    return 2


@pytest.mark.slow
@pytest.mark.parametrize("query", ["lee", "kim", "ali", "rosa", "chen1"])
def test_results_are_best_first(big, query):
    results = big.members.search(query, 500)
    assert results
    ranks = [rank(m, query) for m in results]
    assert ranks == sorted(ranks), "exact, then prefix, then substring"
    for r, m in zip(ranks, results, strict=True):
        if r == 2:
            assert query in m.full_name.lower() or query in (m.email or "")


@pytest.mark.slow
def test_no_query_scans_the_members_table(big: Services):
    """Every statement a search runs is answered from an index, never a table scan."""
    db: Database = big.db
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        for text in ("a", "jo", "smith", "ann smi", "example.com", "555-01", "MB-0000012"):
            big.members.search(text, 50)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert statements
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in statements:
            plan = cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            details = [row[-1] for row in plan]
            scans = [d for d in details if re.match(r"SCAN (members|credit_lots)\b", d)]
            assert not scans, (statement, details)
    finally:
        raw.close()
