"""What a command loads: ``desk --version`` nothing of the database layer, a member search
no Qt and (on a current schema) no Alembic. Each runs in a fresh interpreter, since this
one has loaded everything already; no timing here (tests/benchmarks/test_cli_speed.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk import cli
from desk.cli_parser import build_parser
from desk.db import open_database
from desk.models.enums import LotSource, StaffRole
from desk.services.reports.filters import MEMBER_STATUSES
from desk.services.reports.service import REPORTS

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "PySide6", "shiboken6", "alembic", "mako", "desk.models", "desk.db")

RUN = """
import contextlib, io, json, sys
from desk.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        status = main(sys.argv[1:])
    except SystemExit as exc:
        status = exc.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def loaded(*argv: str) -> tuple[int, set[str]]:
    """The exit status of ``desk argv`` and the top-level and desk modules it loaded."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("DESK_DATABASE_URL", None)
    finished = subprocess.run(
        [sys.executable, "-c", RUN, *argv], env=env, cwd=ROOT, capture_output=True, text=True,
        check=False, timeout=120,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    got = json.loads(finished.stdout.splitlines()[-1])
    return got["status"], set(got["modules"])


def _any(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_version_loads_nothing_of_the_database_layer_or_qt() -> None:
    status, modules = loaded("--version")
    assert status == 0
    assert _any(modules, HEAVY) == []
    assert _any(modules, ("desk.services.container", "platformdirs", "logging")) == []


def test_help_loads_nothing_of_the_database_layer() -> None:
    status, modules = loaded("--help")
    assert status == 0
    assert _any(modules, HEAVY) == []


@pytest.mark.sqlite_only
def test_a_member_search_loads_no_qt_and_no_alembic_on_a_current_schema(tmp_path: Path) -> None:
    file = tmp_path / "desk.sqlite3"
    open_database(f"sqlite:///{file}").dispose()  # created and migrated here, in this process
    status, modules = loaded("members", "search", "x", "--database", f"sqlite:///{file}")
    assert status == 0
    assert "sqlalchemy" in modules
    assert _any(modules, ("PySide6", "shiboken6", "alembic", "mako", "desk.ui", "desk.app")) == []
    # Only the search's own command module, not every command's.
    assert _any(modules, ("desk.cli_files", "desk.cli_credits", "desk.cli_credit_life")) == []


@pytest.mark.sqlite_only
def test_a_due_migration_still_runs_from_the_command_line(tmp_path: Path) -> None:
    file = tmp_path / "new.sqlite3"
    status, modules = loaded("members", "search", "x", "--database", f"sqlite:///{file}",
                             "--create")  # fmt: skip
    assert status == 0
    assert "alembic" in modules
    open_database(f"sqlite:///{file}").dispose()  # the schema is current: nothing to do


def test_every_command_has_a_handler_that_loads() -> None:
    for key in cli._HANDLERS:
        assert callable(cli._handler(key)), key


def test_the_choices_read_late_are_the_services_own() -> None:
    parser = build_parser()
    add = parser.parse_args(["credits", "add", "1", "--type", "T", "--quantity", "1"])
    assert add.source == LotSource.MANUAL.value
    actions = {
        (a.dest, a.help): a
        for sub in _parsers(parser)
        for a in sub._actions
        if a.choices is not None and not isinstance(a.choices, dict)
    }
    choices = {dest: list(a.choices or ()) for (dest, _), a in actions.items()}
    assert choices["source"] == [s.value for s in LotSource]
    assert choices["role"] == [r.value for r in StaffRole]
    assert choices["name"] == sorted(REPORTS)
    assert choices["status"] == list(MEMBER_STATUSES)
    assert cli.Services.__name__ == "Services"  # desk.cli.Services, as tests replace it


def _parsers(parser: object) -> list[object]:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    found: list[object] = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _parsers(sub)
    return found
