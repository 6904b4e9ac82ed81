"""``desk --self-test``: the smoke test that the frozen bundles run, here from source."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from desk.self_test import run_self_test
from desk.services.credits.credits import CreditService

STEPS = (
    "environment",
    "database and migrations",
    "demo gym",
    "main window",
    "start-up checks",
    "search bar",
    "member profile",
    "book an appointment",
    "cancel it",
    "crash reporter",
    "ledger reconciles",
)


def test_self_test_passes_as_a_command_and_prints_every_step(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "desk", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for number, step in enumerate(STEPS, 1):
        assert any(line.startswith(f"[{number:2}/{len(STEPS)}] {step}: ") for line in lines), step
    assert "FAILED" not in done.stdout
    assert lines[-1].startswith("Self-test passed: 11 steps")
    # The deliberate crash is logged to the throw-away log, not shown on the terminal,
    # and the throw-away folder is gone afterwards.
    assert "deliberate error" not in done.stderr
    assert not list(tmp_path.glob("desk-self-test-*"))


def test_a_failing_step_is_named_and_exits_non_zero(qapp, monkeypatch):
    monkeypatch.setattr(
        CreditService, "verify_ledger", lambda self: ["lot 7: remaining 3, entries say 2"]
    )
    out = io.StringIO()

    assert run_self_test(out) == 1

    report = out.getvalue()
    assert "[ 5/11] start-up checks: FAILED: lot 7: remaining 3, entries say 2" in report
    assert report.rstrip().endswith("Self-test FAILED at step 5 (start-up checks).")
    # The window it opened was closed again.
    assert not [w for w in qapp.topLevelWidgets() if w.isVisible()]


def test_self_test_leaves_the_excepthook_and_logging_as_it_found_them(qapp):
    import logging

    hook, handlers = sys.excepthook, list(logging.getLogger().handlers)
    out = io.StringIO()

    assert run_self_test(out) == 0, out.getvalue()

    assert sys.excepthook is hook
    assert logging.getLogger().handlers == handlers


@pytest.mark.parametrize("argv", [["--self-test"], ["--self-test", "--database", "sqlite://"]])
def test_the_flag_reaches_the_self_test(monkeypatch, argv):
    from desk import cli

    calls = []
    monkeypatch.setattr("desk.self_test.run_self_test", lambda: calls.append(1) or 0)
    assert cli.main(argv) == 0
    assert calls == [1]
