"""Run every benchmark and print one table: ``python -m tests.benchmarks.run``.

Extra arguments go to pytest (e.g. ``-k search``). The first run builds the cached
100k database (about a minute). Latency targets are judged on p95 (stricter than
the median); the floor ratio is median against median. Each row is judged twice:
against the issue's target and against the raised one set once the issue's were
met (the issue: "make them true, then raise them"). Exit status 1 when a target of
either kind is missed.
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
    raised: str = ""
    raised_ok: bool | None = None


# (issue's limit, raised limit) per benchmark; latencies in seconds, on p95.
SEARCH = (5 * MS, 4.5 * MS)
SEARCH_FLOOR_RATIO = (3.0, 2.5)
KEYSTROKE = (16 * MS, 12 * MS)
PROFILE = (100 * MS, 100 * MS)
WEEK = (100 * MS, 60 * MS)
BOOK_CANCEL = (10 * MS, 6 * MS)
IMPORT_SPEED = (20_000, 20_000)
# 800 members, 1,200 rows through the wizard, File > Import… to the summary. The
# issue sets no raised target yet: the raised one is the until measured twice.
IMPORT_WIZARD = (10.0, 10.0)
IMPORT_WIZARD_CLICKS = 8
COLD_START = (1.0, 0.8)
PEAK_RSS = (250e6, 200e6)
# The issue sets none for PostgreSQL; ours is one frame, as for a keystroke.
PG_SEARCH = (None, 16 * MS)
# The issue's: the window within 1 s at any size, <= 1 s of work per start (judged on
# the GUI thread's CPU to the window: the day's backup and file check read the whole file
# in the background, which no start can do in 1 s at size). No raised targets yet.
FIRST_START = (1.0, 1.0)
WORK_PER_START = (1.0, 1.0)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def _expiry_rows(found: dict[str, Any]) -> list[Row]:
    """Expiry after a 30-day closure: within 2x of its set-based floor (median against
    median), and its longest write transaction (what another desk may wait) <= 200 ms."""
    bench = found.get("test_expire_after_a_30_day_closure")
    if bench is None:
        return []
    info, stats = bench["extra_info"], bench["stats"]
    ratio_ok = info["ratio"] <= info["target_ratio"]
    ratio = f"<= {info['target_ratio']:g}x floor"
    longest, limit = info["longest_write"], info["target_longest_write"]
    write_ok, write = longest <= limit, f"<= {_ms(limit)}"
    return [
        Row(f"expire after a 30-day closure ({info['lots']:,} lots)", _ms(stats["median"]),
            _ms(info.get("p95", stats["max"])), ratio, f"{info['ratio']:.1f}x", ratio_ok, ratio,
            ratio_ok),
        Row("expiry floor (set-based SQL)", _ms(info["floor"]), "", "", "", None),
        Row(f"expiry: longest write of {info['writes']}", _ms(longest), "", write, "", write_ok,
            write, write_ok),
    ]  # fmt: skip


def rows_from(report: dict[str, Any]) -> list[Row]:
    found = {b["name"]: b for b in report["benchmarks"]}

    def stat(name: str) -> tuple[float, float] | None:
        bench = found.get(name)
        if bench is None:
            return None
        return bench["stats"]["median"], bench["extra_info"].get("p95", bench["stats"]["max"])

    rows: list[Row] = []

    def latency(
        label: str,
        name: str,
        limits: tuple[float | None, float],
        floor: str | None = None,
    ) -> None:
        got = stat(name)
        if got is None:
            return
        median, p95 = got
        row = Row(label, _ms(median), _ms(p95), "", "", None)
        times: float | None = None
        if floor is not None and (base := stat(floor)) is not None:
            times = median / base[0]
            row.ratio = f"{times:.1f}x"
        for limit, ratio_limit, raised in zip(
            limits, SEARCH_FLOOR_RATIO, (False, True), strict=True
        ):
            if limit is None:
                continue
            target = f"p95 <= {_ms(limit)}"
            ok = p95 <= limit
            if times is not None:
                target += f" and <= {ratio_limit:g}x floor"
                ok = ok and times <= ratio_limit
            if raised:
                row.raised, row.raised_ok = target, ok
            else:
                row.target, row.ok = target, ok
        rows.append(row)

    for kind in ("prefix", "substring", "email", "phone"):
        latency(
            f"search {kind} (service)",
            f"test_search_service[{kind}]",
            SEARCH,
            f"test_search_floor[{kind}]",
        )
        if (floor := stat(f"test_search_floor[{kind}]")) is not None:
            rows.append(Row(f"search {kind} (raw SQL floor)", _ms(floor[0]), _ms(floor[1]),
                            "", "", None))  # fmt: skip
    for kind in ("prefix", "substring", "email", "phone"):
        latency(f"search {kind} (PostgreSQL)", f"test_search_service_postgresql[{kind}]", PG_SEARCH)
    latency("keystroke to results", "test_keystroke_to_results", KEYSTROKE)
    latency("profile open (2,000 appts, 500 lots)",
            "test_open_profile_2000_appointments_500_lots", PROFILE)  # fmt: skip
    latency("week view, 1,000 appts", "test_week_with_1000_appointments_navigate_and_paint",
            WEEK)  # fmt: skip
    latency("book + cancel (SQLite)", "test_book_and_cancel_round_trip", BOOK_CANCEL)

    imported = stat("test_import_100k_credit_rows")
    floor = stat("test_floor_executemany_into_lots_and_entries")
    if imported is not None:
        speed = IMPORT_ROWS / imported[0]
        ratio = f"{imported[0] / floor[0]:.1f}x" if floor else ""
        rows.append(Row("import 100k credit rows", f"{speed:,.0f} rows/s ({_ms(imported[0])})",
                        _ms(imported[1]), f">= {IMPORT_SPEED[0]:,} rows/s", ratio,
                        speed >= IMPORT_SPEED[0], f">= {IMPORT_SPEED[1]:,} rows/s",
                        speed >= IMPORT_SPEED[1]))  # fmt: skip
    if floor is not None:
        rows.append(Row("import floor (executemany)",
                        f"{IMPORT_ROWS / floor[0]:,.0f} rows/s ({_ms(floor[0])})",
                        _ms(floor[1]), "", "", None))  # fmt: skip

    latency("import wizard, 1,200 rows to summary",
            "test_wizard_800_members_1200_rows_to_the_summary", IMPORT_WIZARD)  # fmt: skip
    wizard = found.get("test_wizard_800_members_1200_rows_to_the_summary")
    service_floor = stat("test_floor_the_same_service_calls_without_widgets")
    if wizard is not None:
        if service_floor is not None:  # the same service calls without widgets
            rows[-1].ratio = f"{wizard['stats']['median'] / service_floor[0]:.1f}x"
        clicks = wizard["extra_info"].get("clicks", 0)
        rows.append(Row("import wizard clicks", f"{clicks:.0f}", "",
                        f"<= {IMPORT_WIZARD_CLICKS}", "", clicks <= IMPORT_WIZARD_CLICKS,
                        f"<= {IMPORT_WIZARD_CLICKS}", clicks <= IMPORT_WIZARD_CLICKS))  # fmt: skip

    latency("cold start to main window", "test_cold_start_desk_main_window", COLD_START)
    bare = stat("test_cold_start_bare_pyside6_window")
    if bare is not None:
        if rows[-1].name == "cold start to main window":
            rows[-1].ratio = f"{stat('test_cold_start_desk_main_window')[0] / bare[0]:.1f}x"  # type: ignore[index]
        rows.append(Row("cold start, bare PySide6 window", _ms(bare[0]), _ms(bare[1]), "", "",
                        None))  # fmt: skip
    rss = found.get("test_peak_rss_working_desk")
    if rss is not None:
        peak = rss["extra_info"]["peak_rss_bytes"] / 2**20
        peak_bytes = rss["extra_info"]["peak_rss_bytes"]
        rows.append(Row("peak RSS, 100k database", f"{peak:,.0f} MiB", "",
                        f"<= {PEAK_RSS[0] / 1e6:,.0f} MB", "", peak_bytes <= PEAK_RSS[0],
                        f"<= {PEAK_RSS[1] / 1e6:,.0f} MB", peak_bytes <= PEAK_RSS[1]))  # fmt: skip
    _cli_rows(found, rows)
    rows += _expiry_rows(found)
    rows += _first_start_rows(found)
    return rows


# The command line's start (test_cli_speed.py), p95 wall time of the child itself; the
# issue sets no raised target yet, so the raised one is the issue's.
CLI_TARGETS = {"version": (60 * MS, 60 * MS), "search": (200 * MS, 200 * MS)}
CLI_LABELS = {"version": "desk --version", "search": "desk members search x (100k)"}


def _cli_rows(found: dict[str, Any], rows: list[Row]) -> None:
    bench = found.get("test_cli_start_against_python_floor")
    if bench is None:
        return
    info = bench["extra_info"]["cli"]
    for name, (limit, raised) in CLI_TARGETS.items():
        got = info[name]
        rows.append(Row(f"{CLI_LABELS[name]}", _ms(got["median"]), _ms(got["p95"]),
                        f"p95 <= {_ms(limit)}", f"{got['ratio']:.1f}x", got["p95"] <= limit,
                        f"p95 <= {_ms(raised)}", got["p95"] <= raised))  # fmt: skip
        rows.append(Row(f"{CLI_LABELS[name]}, CPU", _ms(got["cpu_median"]), _ms(got["cpu_p95"]),
                        "", f"{got['cpu_ratio']:.1f}x", None))  # fmt: skip
        rows.append(Row(f"{CLI_LABELS[name]}, peak RSS",
                        f"{got['peak_rss_bytes'] / 2**20:,.1f} MiB", "", "", "", None))  # fmt: skip
    floor = info["floor"]
    rows.append(Row("python -c pass (floor)", _ms(floor["median"]), _ms(floor["p95"]), "", "",
                    None))  # fmt: skip
    rows.append(Row("python -c pass, CPU", _ms(floor["cpu_median"]), _ms(floor["cpu_p95"]),
                    "", "", None))  # fmt: skip
    rows.append(Row("python -c pass, peak RSS", f"{floor['peak_rss_bytes'] / 2**20:,.1f} MiB",
                    "", "", "", None))  # fmt: skip


def _first_start_rows(found: dict[str, Any]) -> list[Row]:
    """tests/benchmarks/test_first_start.py: the day's first start (its backup due) and a
    warm one to the main window, against a bare window; the CPU each start spends."""
    bench = found.get("test_first_start_of_the_day_to_main_window")
    if bench is None:
        return []
    info = bench["extra_info"]

    def row(label: str, figure: str, limits: tuple[float, float] | None = None) -> Row:
        median, p95 = info[f"{figure}_median"], info[f"{figure}_p95"]
        made = Row(label, _ms(median), _ms(p95), "", "", None)
        if figure in ("first_window", "warm_window"):
            made.ratio = f"{median / info['bare_window_median']:.1f}x"
        if limits is not None:
            made.target, made.ok = f"p95 <= {_ms(limits[0])}", p95 <= limits[0]
            made.raised, made.raised_ok = f"p95 <= {_ms(limits[1])}", p95 <= limits[1]
        return made

    return [
        row("first start of the day to main window", "first_window", FIRST_START),
        row("warm start to main window", "warm_window", FIRST_START),
        row("start floor, bare PySide6 window", "bare_window"),
        row("first start, GUI-thread CPU to window", "first_gui_cpu", WORK_PER_START),
        row("warm start, GUI-thread CPU to window", "warm_gui_cpu", WORK_PER_START),
        row("first start, process CPU (+ backup, check)", "first_process_cpu"),
        row("warm start, process CPU", "warm_process_cpu"),
    ]


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("pass" if ok else "MISS")


def table(rows: list[Row]) -> str:
    header = ("Benchmark", "Median", "p95", "vs floor", "Issue target", "Result",
              "Raised target", "Result")  # fmt: skip
    cells = [header] + [
        (r.name, r.median, r.p95, r.ratio, r.target, _verdict(r.ok), r.raised,
         _verdict(r.raised_ok))
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
            # One process: timings taken beside another worker's tests mean nothing.
            *("-n", "0"),
        ]
        finished = subprocess.run(command, cwd=ROOT, check=False)
        if not report_file.exists():
            return finished.returncode or 1
        report = json.loads(report_file.read_text())
    rows = rows_from(report)
    print()
    print(table(rows))
    missed = [r.name for r in rows if r.ok is False or r.raised_ok is False]
    print(f"\n{len(missed)} target(s) missed" + (f": {', '.join(missed)}" if missed else ""))
    return 1 if missed or finished.returncode else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
