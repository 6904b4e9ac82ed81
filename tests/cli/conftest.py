"""Fixtures of the import and export command tests: the CLI's services on the tests' fixed
clock (asked for with ``usefixtures``, so the other command tests keep the real one), and the
import fixture gym."""

from __future__ import annotations

import pytest

import desk.cli
from desk.db import Database
from desk.services.container import Services
from desk.services.core.clock import Clock, FixedClock
from tests.cli.import_cli_runs import opened
from tests.services.importing.import_gym import Gym, seed_gym


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> None:
    """The CLI's services see the tests' fixed day, so expiry dates don't age."""

    class FrozenServices(Services):
        @classmethod
        def build(cls, db: Database, clock_: Clock | None = None) -> Services:
            return Services.build(db, clock)

    monkeypatch.setattr(desk.cli, "Services", FrozenServices)


@pytest.fixture
def gym_url(db_url: str, clock: FixedClock) -> tuple[str, Gym]:
    with opened(db_url, clock) as services:
        return db_url, seed_gym(services)


@pytest.fixture
def url(db_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """A database with one staff member, Kim Alvarez (coach), made by `desk staff add`."""
    from tests.cli.test_staff_cli import run

    code, _, err = run(capsys, "staff", "add", "Kim Alvarez", "--role", "coach",
                       "--database", db_url, "--create")  # fmt: skip
    assert code == 0, err
    return db_url
