"""Run every benchmark and print one table: ``python -m tests.benchmarks.run``.

Extra arguments go to pytest (e.g. ``-k search``). The first run builds the cached
100k database (about a minute). Latency targets are judged on p95 (stricter than
the median); the floor ratio is median against median. Exit status 1 when a target
is missed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
IMPORT_ROWS = 100_000
MS = 1e-3


@dataclass
class Row:
    name: str
    median: str
    p95: str
    target: str
    ratio: str
    ok: bool | None


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def rows_from(report: dict[str, Any]) -> list[Row]:
    found = {b["name"]: b for b in report["benchmarks"]}

    def stat(name: str) -> tuple[float, float] | None:
        bench = found.get(name)
        if bench is None:
            return None
        return bench["stats"]["median"], bench["extra_info"].get("p95", bench["stats"]["max"])

    rows: list[Row] = []

    def latency(label: str, name: str, limit: float, floor: str | None = None) -> None:
        got = stat(name)
        if got is None:
            return
        median, p95 = got
        ok = p95 <= limit
        ratio = ""
        target = f"p95 <= {_ms(limit)}"
        if floor is not None and (base := stat(floor)) is not None:
            times = median / base[0]
            ratio = f"{times:.1f}x"
            target += " and <= 3x floor"
            ok = ok and times <= 3
        rows.append(Row(label, _ms(median), _ms(p95), target, ratio, ok))

    for kind in ("prefix", "substring", "email", "phone"):
        latency(
            f"search {kind} (service)",
            f"test_search_service[{kind}]",
            5 * MS,
            f"test_search_floor[{kind}]",
        )
        if (floor := stat(f"test_search_floor[{kind}]")) is not None:
            rows.append(Row(f"search {kind} (raw SQL floor)", _ms(floor[0]), _ms(floor[1]),
                            "", "", None))  # fmt: skip
    latency("keystroke to results", "test_keystroke_to_results", 16 * MS)
    latency("profile open (2,000 appts, 500 lots)",
            "test_open_profile_2000_appointments_500_lots", 100 * MS)  # fmt: skip
    latency("week view, 1,000 appts", "test_week_with_1000_appointments_navigate_and_paint",
            100 * MS)  # fmt: skip
    latency("book + cancel (SQLite)", "test_book_and_cancel_round_trip", 10 * MS)

    imported = stat("test_import_100k_credit_rows")
    floor = stat("test_floor_executemany_into_lots_and_entries")
    if imported is not None:
        speed = IMPORT_ROWS / imported[0]
        ratio = f"{imported[0] / floor[0]:.1f}x" if floor else ""
        rows.append(Row("import 100k credit rows", f"{speed:,.0f} rows/s ({_ms(imported[0])})",
                        _ms(imported[1]), ">= 20,000 rows/s", ratio, speed >= 20_000))  # fmt: skip
    if floor is not None:
        rows.append(Row("import floor (executemany)",
                        f"{IMPORT_ROWS / floor[0]:,.0f} rows/s ({_ms(floor[0])})",
                        _ms(floor[1]), "", "", None))  # fmt: skip

    latency("cold start to main window", "test_cold_start_desk_main_window", 1.0,
            None)  # fmt: skip
    bare = stat("test_cold_start_bare_pyside6_window")
    if bare is not None:
        if rows[-1].name == "cold start to main window":
            rows[-1].ratio = f"{stat('test_cold_start_desk_main_window')[0] / bare[0]:.1f}x"  # type: ignore[index]
        rows.append(Row("cold start, bare PySide6 window", _ms(bare[0]), _ms(bare[1]), "", "",
                        None))  # fmt: skip
    rss = found.get("test_peak_rss_working_desk")
    if rss is not None:
        peak = rss["extra_info"]["peak_rss_bytes"] / 2**20
        rows.append(Row("peak RSS, 100k database", f"{peak:,.0f} MiB", "", "<= 250 MB", "",
                        peak * 2**20 <= 250e6))  # fmt: skip
    return rows


def table(rows: list[Row]) -> str:
    header = ("Benchmark", "Median", "p95", "Target", "vs floor", "Result")
    cells = [header] + [
        (r.name, r.median, r.p95, r.target, r.ratio,
         "" if r.ok is None else ("pass" if r.ok else "MISS"))
        for r in rows
    ]  # fmt: skip
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
             for row in cells]  # fmt: skip
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        report_file = Path(folder) / "benchmarks.json"
        command = [
            *(sys.executable, "-m", "pytest", "tests/benchmarks", "--benchmark-only"),
            *(f"--benchmark-json={report_file}", "-q", "-p", "no:cacheprovider", *argv),
        ]
        finished = subprocess.run(command, cwd=ROOT, check=False)
        if not report_file.exists():
            return finished.returncode or 1
        report = json.loads(report_file.read_text())
    rows = rows_from(report)
    print()
    print(table(rows))
    missed = [r.name for r in rows if r.ok is False]
    print(f"\n{len(missed)} target(s) missed" + (f": {', '.join(missed)}" if missed else ""))
    return 1 if missed or finished.returncode else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
