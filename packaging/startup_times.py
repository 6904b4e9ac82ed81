"""Median wall-clock times of the frozen app against running from source.

    python packaging/startup_times.py [--runs 7] [--onefile]

Times ``--version`` (interpreter start and imports up to argparse: the
quickest path) and ``--self-test`` (Qt, the main window, a demo database and
the whole smoke test) for the bundle ``build.py`` made and for ``python -m desk``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import executable


def median_seconds(command: list[str], runs: int) -> float:
    env = {**os.environ}
    if sys.platform.startswith("linux") and not env.get("DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--onefile", action="store_true", help="time the one-file build")
    args = parser.parse_args()
    frozen = executable(args.onefile)
    if not frozen.exists():
        sys.exit(f"{frozen} is missing: run packaging/build.py first")
    source = [sys.executable, "-m", "desk"]
    label = "one-file" if args.onefile else "one-folder"
    print(f"median of {args.runs} runs")
    for flag in ("--version", "--self-test"):
        median_seconds([str(frozen), flag], 1)  # warm the disk cache
        f = median_seconds([str(frozen), flag], args.runs)
        s = median_seconds([*source, flag], args.runs)
        print(f"{flag:12} frozen ({label}) {f:6.2f} s   from source {s:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
