"""A file whose every row warns (past expiry dates) is checked in time linear in its size.

Each row once counted every problem before it: 20,000 warnings took ~28 s. This
benchmark (run with ``--benchmark-only``; the normal run checks only the warnings)
checks 2,000 and 20,000 such rows, interleaved, by CPU time: a linear check takes
about ten times as long for ten times the rows, a quadratic one a hundred.
"""

from __future__ import annotations

import time
from typing import Any

from desk.services.container import Services
from tests.services.importing.import_calls import csv_bytes, import_credits
from tests.services.importing.import_gym import seed_gym

ROUNDS = 3


def _lines(rows: int) -> bytes:
    lines = ["Member ID,Service,Credits,Expires"]
    lines += [f"PP-1002,Sports Massage,1,2025-01-{1 + i % 28:02d}" for i in range(rows)]
    return csv_bytes(*lines)


def _cpu(services: Services, data: bytes) -> float:
    started = time.process_time()
    report = import_credits(services, data, dry_run=True)
    assert len(report.warnings) == report.to_import
    return time.process_time() - started


def test_past_expiry_warnings_grow_linearly(benchmark: Any, services: Services) -> None:
    seed_gym(services)
    small, large = _lines(2_000), _lines(20_000)
    pairs = [(_cpu(services, small), _cpu(services, large)) for _ in range(ROUNDS)]
    benchmark.pedantic(lambda: import_credits(services, large, dry_run=True), rounds=1)
    ratio = min(b for _, b in pairs) / max(min(a for a, _ in pairs), 1e-6)
    benchmark.extra_info["cpu_ratio_20k_to_2k"] = round(ratio, 1)
    print(f"\n20,000 rows take {ratio:.1f}x the CPU of 2,000 (linear: ~10, quadratic: ~100)")
    assert ratio < 30, f"20,000 warning rows took {ratio:.1f}x the CPU of 2,000: not linear"
