"""The first start of the day: ``desk`` to the main window shown when the day's backup is
due, next to a warm start (the day's backup made) and a bare PySide6 window, interleaved.

Each start is a new Python process (tests/benchmarks/first_start_app.py) on a private copy
of the 100k database. A round is three starts: the floor (a bare PySide6 window), a first
start of the day (today's daily backup and the record of the day's file check removed
beforehand) and a warm start right after it. The time is from spawn to the main window
shown (the child prints the system's monotonic clock, the same clock as ours); also the
CPU the GUI thread had used by then, and the whole process's CPU (it waits for the day's
background work to finish before it quits, so that is in).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks import data
from tests.benchmarks.conftest import p95

SCRIPT = Path(__file__).with_name("first_start_app.py")
ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5
KINDS = ("bare", "first", "warm")
CPU = ("ru_utime", "ru_stime")


@pytest.fixture(scope="module")
def app_database(bench_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return data.copy_database(bench_file, tmp_path_factory.mktemp("first") / "desk.sqlite3")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def child_env(home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = dict(os.environ)
    # As test_cold_start.py: Python's bytecode cache is kept, as on any second start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(tmp_path_factory.mktemp("pycache")),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        **{f"XDG_{k}_HOME": str(home / k.lower()) for k in ("CONFIG", "DATA", "STATE", "CACHE")},
    )
    return env


def start(env: dict[str, str], *args: str) -> dict[str, float]:
    """One start: seconds to the window shown, GUI-thread CPU by then, process CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, errors = process.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # this child's, once it is reaped
    assert process.returncode == 0, errors.decode(errors="replace")[-2000:]
    said = {
        parts[1]: float(parts[2])
        for line in out.decode().splitlines()
        if (parts := line.split())[:1] == ["first-start"]
    }
    figures = {
        "window": said["shown"] - began,
        "gui_cpu": said["gui_cpu"],
        "process_cpu": sum(getattr(after, f) - getattr(before, f) for f in CPU),
    }
    if "housekeeping_done" in said:
        figures["housekeeping_done"] = said["housekeeping_done"] - began
    return figures


def forget_the_day(database: Path, home: Path) -> None:
    """As on the day's first start: no daily backup for today, no file check recorded."""
    for made in (database.parent / "backups").glob(f"{database.stem}-daily-*"):
        made.unlink()
    (home / "config" / "Desk" / "Desk.conf").unlink(missing_ok=True)


def median(samples: list[float]) -> float:
    return sorted(samples)[len(samples) // 2]


def test_first_start_of_the_day_to_main_window(benchmark, child_env, app_database, home):
    url = f"sqlite:///{app_database}"
    start(child_env, "desk", url)  # warm-up: bytecode cache, file cache
    samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for _ in range(ROUNDS):
        samples["bare"].append(start(child_env, "bare"))
        forget_the_day(app_database, home)
        samples["first"].append(start(child_env, "desk", url))
        assert list((app_database.parent / "backups").glob("desk-daily-*.sqlite3"))
        samples["warm"].append(start(child_env, "desk", url))
    benchmark.pedantic(lambda: None, rounds=1)  # the figures are the starts, below
    for kind, rounds in samples.items():
        for figure in rounds[0]:
            values = [r[figure] for r in rounds]
            benchmark.extra_info[f"{kind}_{figure}_median"] = median(values)
            benchmark.extra_info[f"{kind}_{figure}_p95"] = p95(values)
    print()
    for key, value in benchmark.extra_info.items():
        print(f"{key}: {value * 1e3:,.0f} ms")
