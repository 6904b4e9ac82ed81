"""The damaged-backup tally: each test adds its lines, the run prints them at the end."""

from __future__ import annotations

from collections.abc import Callable

import pytest

_TALLY = pytest.StashKey[list[str]]()


@pytest.fixture
def damage_tally(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record one line ("kind: refused n of m") for the summary after the run."""
    lines = request.config.stash.setdefault(_TALLY, [])
    return lines.append


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(_TALLY, [])
    if lines:
        terminalreporter.section("damaged backups refused")
        for line in lines:
            terminalreporter.write_line(line)
