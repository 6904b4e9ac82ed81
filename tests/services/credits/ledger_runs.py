"""How long the ledger state machine runs (test_ledger_invariants.py): issue 18 asks for
at least 5,000 steps on SQLite and 1,000 on PostgreSQL in every run of the README's
command.

They run as RUNS test items per backend, so pytest-xdist spreads them over its workers
and none is a long pole. Each item runs its own random examples of STEPS_PER_EXAMPLE
steps, each on a fresh database (ledger_databases.py), and asserts that the steps whose
invariants were checked (LedgerModel._count_step) reached its share of the total:
hypothesis may stop an example early (a long one's choices fill its buffer) or run
fewer examples than asked, and a run that checked too little fails rather than passing
quietly. Each item records its count; tests/conftest.py prints the sums at the end
("ledger state machine: 5,000 steps on postgresql ..."). ``DESK_LEDGER_STEPS=
sqlite:50000,postgresql:10000`` runs longer.
"""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.postgres import PostgresServer
from tests.services.credits.ledger_databases import MachineDatabases, PostgresDatabases
from tests.services.credits.ledger_model import (
    LedgerModel,
    opening_clock,
    opening_writes,
    sqlite_databases,
)

STEPS = {"sqlite": 5_000, "postgresql": 1_000}
STEPS_ENV = "DESK_LEDGER_STEPS"
RUNS = 10
STEPS_PER_EXAMPLE = 50

_postgres: dict[int, PostgresDatabases] = {}


def wanted_steps(backend: str) -> int:
    """STEPS[backend], or more from $DESK_LEDGER_STEPS."""
    for part in filter(None, os.environ.get(STEPS_ENV, "").split(",")):
        name, _, steps = part.partition(":")
        if name.strip() == backend:
            return max(STEPS[backend], int(steps))
    return STEPS[backend]


def databases_for(backend: str, request: pytest.FixtureRequest) -> MachineDatabases:
    if backend == "sqlite":
        return sqlite_databases()
    server = request.getfixturevalue("postgres_server")
    assert isinstance(server, PostgresServer)
    if id(server) not in _postgres:  # one opening per server, so per test process
        _postgres[id(server)] = PostgresDatabases(server, opening_clock, opening_writes)
    return _postgres[id(server)]


def run_machine(machine: type[LedgerModel], backend: str, request: pytest.FixtureRequest) -> None:
    """Run ``machine`` for this item's share of the backend's steps; fail on fewer."""
    databases = databases_for(backend, request)
    share = math.ceil(wanted_steps(backend) / RUNS)
    before = databases.steps
    ran = 0
    # An example's initialize rules are among its steps and some end early, so the
    # machine runs again (a few times at most) until the share of checked steps is met.
    for _round in range(3):
        run_state_machine_as_test(
            lambda: machine(databases),  # type: ignore[arg-type]  # any factory will do
            settings=settings(
                max_examples=math.ceil((share - ran) / STEPS_PER_EXAMPLE),
                stateful_step_count=STEPS_PER_EXAMPLE,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
        ran = databases.steps - before
        if ran >= share:
            break
    assert ran >= share, f"{ran} steps checked on {backend}, fewer than this item's {share}"
    request.node.user_properties.append(("ledger_steps", (backend, ran)))
