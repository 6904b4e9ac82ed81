"""Member search at 100,000 members: the service next to the best hand-written SQL.

The floor is one statement per query written by hand on the same connection, with
the same candidate sources the service uses (the lower() expression indexes as
range scans, the trigram FTS5 index, the phone_digits index), the same order and
limit, and each member's open credits: what SQLite itself costs for this lookup.
"""

from __future__ import annotations

from typing import Any

import pytest

from desk.services.container import Services
from tests.benchmarks import data

LIMIT = 100  # what the search panel asks for
ROUNDS = 200
QUERIES = {
    "prefix": "ros",  # Rosa, Rossi, Rosen...: ~1,900 members start with it
    "substring": "ndez",  # Hernandez, Fernandez: only the trigram index finds them
    "email": "sam.miller1234@",
    "phone": "(380) 984",
}

OPEN = (
    "(SELECT coalesce(sum(l.remaining), 0) FROM credit_lots l WHERE l.member_id = m.id "
    "AND (l.expires_on IS NULL OR l.expires_on >= :today))"
)
COLUMNS = f"m.id, m.first_name, m.last_name, m.email, m.phone, m.status, {OPEN}"
ORDER = "ORDER BY lower(m.last_name), lower(m.first_name), m.id LIMIT :limit"


def _ranges(columns: tuple[str, ...]) -> str:
    return " UNION ".join(
        f"SELECT id FROM (SELECT id FROM members WHERE {c} >= :q AND {c} < :upper "
        f"ORDER BY {c} LIMIT :limit)"
        for c in columns
    )


FLOOR_SQL = {
    "prefix": f"SELECT {COLUMNS} FROM members m WHERE m.id IN ("
    + _ranges(("lower(first_name)", "lower(last_name)", "lower(email)"))
    + " UNION SELECT rowid FROM member_search WHERE member_search MATCH :match LIMIT 1000"
    + f") {ORDER}",
    "substring": f"SELECT {COLUMNS} FROM members m WHERE m.id IN ("
    "SELECT rowid FROM member_search WHERE member_search MATCH :match LIMIT 1000"
    f") {ORDER}",
    "email": f"SELECT {COLUMNS} FROM members m WHERE m.id IN ("
    + _ranges(("lower(email)",))
    + " UNION SELECT rowid FROM member_search WHERE member_search MATCH :match LIMIT 1000"
    + f") {ORDER}",
    "phone": f"SELECT {COLUMNS} FROM members m WHERE m.id IN ("
    + _ranges(("phone_digits",))
    + " UNION SELECT rowid FROM member_search WHERE member_search MATCH :match LIMIT 1000"
    + f") {ORDER}",
}


def floor_params(kind: str, query: str) -> dict[str, Any]:
    q = "".join(ch for ch in query if ch.isdigit()) if kind == "phone" else query.lower()
    match = f'phone : "{q}"' if kind == "phone" else f'"{q}"'
    upper = q[:-1] + chr(ord(q[-1]) + 1)
    return {"q": q, "upper": upper, "match": match, "limit": LIMIT}


@pytest.mark.parametrize("kind", list(QUERIES))
def test_search_service(benchmark, bench_services: Services, kind: str):
    query = QUERIES[kind]
    rows = benchmark.pedantic(
        bench_services.members.search, args=(query, LIMIT), rounds=ROUNDS, warmup_rounds=5
    )
    assert rows, f"{query!r} found nobody"
    benchmark.extra_info["rows"] = len(rows)
    benchmark.extra_info["query"] = query


@pytest.mark.parametrize("kind", list(QUERIES))
def test_search_floor(benchmark, bench_services: Services, kind: str):
    query = QUERIES[kind]
    params = floor_params(kind, query)
    params["today"] = data.NOW.date().isoformat()
    sql = FLOOR_SQL[kind]
    with bench_services.db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None

        def lookup() -> list[Any]:
            return raw.execute(sql, params).fetchall()

        rows = benchmark.pedantic(lookup, rounds=ROUNDS, warmup_rounds=5)
    assert rows, f"{query!r} found nobody"
    benchmark.extra_info["rows"] = len(rows)
    benchmark.extra_info["query"] = query
