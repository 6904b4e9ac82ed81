"""Cold start: ``desk`` to the main window shown, next to a bare PySide6 window in the
same run; and the peak memory (RSS) of a working desk on the 100k database.

Each round is a new Python process (tests/benchmarks/start_app.py), timed from spawn
to exit, so interpreter start, imports, opening and checking the database, building
the window and showing it are all in. Folders for logs and settings point into a
temporary directory. One warm-up round makes the day's first-start backup, which
every later start of the day skips, and writes Python's bytecode cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks import data

SCRIPT = Path(__file__).with_name("start_app.py")
ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 7


@pytest.fixture(scope="module")
def app_database(bench_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return data.copy_database(bench_file, tmp_path_factory.mktemp("cold") / "desk.sqlite3")


@pytest.fixture(scope="module")
def child_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    env = dict(os.environ)
    # Python caches compiled modules after the first run (pip compiles installed
    # packages at install time); this machine's environment turns that off, which
    # recompiled Desk's ~100 modules on every start (~60 ms). The warm-up round
    # writes the cache into a temporary folder, as any first start would.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(tmp_path_factory.mktemp("pycache")),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        **{f"XDG_{k}_HOME": str(home / k.lower()) for k in ("CONFIG", "DATA", "STATE", "CACHE")},
    )
    return env


def run_child(env: dict[str, str], *args: str) -> int:
    """Runs the script, returns the child's peak RSS in bytes (ru_maxrss is KiB on Linux)."""
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, errors.decode(errors="replace")[-2000:]
    return usage.ru_maxrss * 1024


def test_cold_start_bare_pyside6_window(benchmark, child_env):
    benchmark.pedantic(run_child, args=(child_env, "bare"), rounds=ROUNDS, warmup_rounds=1)


def test_cold_start_desk_main_window(benchmark, child_env, app_database):
    url = f"sqlite:///{app_database}"
    benchmark.pedantic(run_child, args=(child_env, "desk", url), rounds=ROUNDS, warmup_rounds=1)


def test_peak_rss_working_desk(benchmark, child_env, app_database):
    url = f"sqlite:///{app_database}"
    peaks: list[int] = []

    def run() -> None:
        peaks.append(run_child(child_env, "desk-rss", url))

    benchmark.pedantic(run, rounds=3, warmup_rounds=0)
    benchmark.extra_info["peak_rss_bytes"] = max(peaks)
