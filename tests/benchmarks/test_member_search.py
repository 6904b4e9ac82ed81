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

# The floor is the service's lookup written out by hand: the same candidates (the
# external id, index range scans, the trigram index), the same ranking (exact, then
# prefix, then elsewhere; active first; by name), the best LIMIT rows, and open
# credits summed for those rows only. What is left between the two is Python.
NAMES = ("lower(first_name)", "lower(last_name)", "lower(email)")
FULL = "lower(m.first_name || ' ' || m.last_name)"
OPEN = (
    "(SELECT coalesce(sum(l.remaining), 0) FROM credit_lots l WHERE l.member_id = top.id "
    "AND (l.expires_on IS NULL OR l.expires_on >= :today))"
)
ORDER = "rank, archived, last_key, first_key, id"


def _ranges(columns: tuple[str, ...]) -> str:
    return "".join(
        f" UNION ALL SELECT id FROM (SELECT id FROM members WHERE {c} >= :q AND {c} < :upper "
        f"ORDER BY {c} LIMIT :limit)"
        for c in columns
    )


def _floor_sql(kind: str) -> str:
    phone = kind == "phone"
    exact = [f"{c.replace('(', '(m.')} = :name" for c in NAMES] + [
        f"{FULL} = :name",
        "m.external_id = :raw",
    ]
    starts = [f"{c.replace('(', '(m.')} LIKE :name_like ESCAPE '\\'" for c in NAMES] + [
        f"{FULL} LIKE :name_like ESCAPE '\\'"
    ]
    if phone:
        exact.append("m.phone_digits = :q")
        starts.append("m.phone_digits LIKE :q_like ESCAPE '\\'")
    candidates = (
        "SELECT id FROM members WHERE external_id = :raw"
        + _ranges(("phone_digits",) if phone else NAMES)
        + " UNION ALL SELECT rowid FROM (SELECT rowid FROM member_search "
        "WHERE member_search MATCH :match LIMIT 1000)"
    )
    return (
        "SELECT id, first_name, last_name, email, phone, status, "
        + OPEN
        + " FROM (SELECT m.id, m.first_name, m.last_name, m.email, m.phone, m.status, "
        f"CASE WHEN {' OR '.join(exact)} THEN 0 WHEN {' OR '.join(starts)} THEN 1 ELSE 2 END "
        "AS rank, CASE WHEN m.status = 'active' THEN 0 ELSE 1 END AS archived, "
        "lower(m.last_name) AS last_key, lower(m.first_name) AS first_key "
        f"FROM members m WHERE m.id IN ({candidates}) ORDER BY {ORDER} LIMIT :limit) AS top "
        f"ORDER BY {ORDER}"
    )


FLOOR_SQL = {kind: _floor_sql(kind) for kind in QUERIES}


def floor_params(kind: str, query: str) -> dict[str, Any]:
    name = " ".join(query.lower().split())
    q = "".join(ch for ch in query if ch.isdigit()) if kind == "phone" else name
    match = f'phone : "{q}"' if kind == "phone" else f'"{q}"'
    upper = q[:-1] + chr(ord(q[-1]) + 1)
    return {
        "q": q,
        "upper": upper,
        "q_like": q + "%",
        "name": name,
        "name_like": name + "%",
        "raw": query,
        "match": match,
        "limit": LIMIT,
    }


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
    # A floor only if it is the same lookup: the same members, in the same order,
    # with the same open credits.
    service = bench_services.members.search(query, LIMIT)
    assert [row[0] for row in rows] == [m.id for m in service]
    assert [row[6] for row in rows] == [m.open_credits for m in service]
    benchmark.extra_info["rows"] = len(rows)
    benchmark.extra_info["query"] = query
