"""The ledger state machine's step floor (ledger_runs.py): a run that checked fewer steps
than its share fails, and one that checked them all passes and records its count."""

from __future__ import annotations

import pytest
from hypothesis.stateful import rule

from tests.services.credits import ledger_runs
from tests.services.credits.ledger_model import LedgerModel


class QuietMachine(LedgerModel):
    """The model's database and opening, one rule that does nothing."""

    @rule()
    def nothing(self) -> None:
        pass


class HalfCountedMachine(QuietMachine):
    """Every other step passes without its invariants being counted (as if skipped)."""

    def _count_step(self) -> None:
        self._seen = getattr(self, "_seen", 0) + 1
        if self._seen % 2:
            super()._count_step()


@pytest.fixture
def small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # 80 steps in 10 items: 8 a run, as two examples of 4 steps.
    monkeypatch.setattr(ledger_runs, "STEPS", {"sqlite": 80, "postgresql": 80})
    monkeypatch.setattr(ledger_runs, "STEPS_PER_EXAMPLE", 4)
    monkeypatch.delenv(ledger_runs.STEPS_ENV, raising=False)


@pytest.mark.usefixtures("small_runs")
def test_a_run_that_checks_its_share_passes_and_records_it(request: pytest.FixtureRequest):
    ledger_runs.run_machine(QuietMachine, "sqlite", request)
    properties = request.node.user_properties
    recorded = dict(properties)["ledger_steps"]
    assert recorded[0] == "sqlite"
    assert recorded[1] >= 8
    properties.remove(("ledger_steps", recorded))  # not the real machine's: left out of the sums


@pytest.mark.usefixtures("small_runs")
def test_a_run_that_checks_fewer_steps_than_its_share_fails(request: pytest.FixtureRequest):
    with pytest.raises(AssertionError, match="fewer than this item's 8"):
        ledger_runs.run_machine(HalfCountedMachine, "sqlite", request)
    assert not request.node.user_properties, "a failed run records nothing"
