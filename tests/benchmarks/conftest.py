"""Shared benchmark fixtures: the cached 100k database, copies of it, p95 for every benchmark.

Benchmarks run only when asked (``--benchmark-only``); ``python -m tests.benchmarks.run``
runs them all and prints the table. They never use the suite's ``database`` fixture
(parametrized over PostgreSQL too): every number here is SQLite on a local file.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.db import Database, open_database
from desk.services.container import Services
from tests.benchmarks import data


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@pytest.fixture(autouse=True)
def _record_p95(benchmark: Any) -> Iterator[None]:
    """After each benchmark: its p95 (seconds) in extra_info, next to pytest-benchmark's stats."""
    yield
    stats = getattr(benchmark, "stats", None)
    if stats is not None and stats.stats.data:
        benchmark.extra_info["p95"] = p95(list(stats.stats.data))


@pytest.fixture(scope="session")
def bench_file() -> Path:
    """The cached 100k database (built on the first run, ~1 minute). Never opened directly."""
    return data.ensure_database()


@pytest.fixture(scope="session")
def bench_copy(bench_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy shared by the benchmarks that only read."""
    return data.copy_database(bench_file, tmp_path_factory.mktemp("bench") / "shared.sqlite3")


@pytest.fixture(scope="session")
def bench_db(bench_copy: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{bench_copy}")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def bench_services(bench_db: Database) -> Services:
    return Services.build(bench_db, data.clock())


@pytest.fixture
def private_db(bench_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy of its own, for a benchmark that writes."""
    db = data.open_copy(bench_file, tmp_path / "private.sqlite3")
    yield db
    db.dispose()
