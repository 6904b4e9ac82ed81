"""The GUI thread while a 100,000-row credits import runs in the background and an
Add Credits save is made: before (the save called on the GUI thread, as every dialog
did) and after (the save through the OperationRunner, queued behind the import on
its one write worker).

A 10 ms QTimer measures the GUI thread: each tick's lag is its actual interval minus
10 ms. Reported: the longest stall, the p99 stall, and the time from the import's
commit to the Add Credits completion. Run with
``python -m pytest tests/benchmarks/test_gui_stall.py --benchmark-only -s``.
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from desk.app import share_the_gil
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.shell.background import BackgroundTask
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.context import DeskContext
from tests.actors import SYSTEM
from tests.benchmarks.test_import_speed import (  # noqa: F401 - fixtures
    GYM_TZ,
    NOW,
    ROWS,
    copy_of,
    csv_file,
    fresh,
    rows,
    template,
)

TARGET_MAX_STALL = 0.050


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def _scenario(
    qtbot: Any, services: Services, csv: bytes, *, through_runner: bool
) -> dict[str, float]:
    share_the_gil()  # as `desk` does at start-up
    ctx = DeskContext(services=services, hub=ChangeHub())
    ctx.staff_id = StaffId(services.staff.create(name="Bench", role="admin", actor=SYSTEM).value.id)
    member = MemberId(1)
    kind = AppointmentTypeId(services.appointment_types.list()[0].id)
    marks: dict[str, float] = {}

    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
        outcome = services.imports.import_credits(
            csv, actor=ctx.actor, progress=progress, cancelled=cancelled
        )
        marks["commit"] = time.perf_counter()
        return outcome

    # The dialog's first construction in a process is slower (~40 ms idle, vs 7-18 ms
    # after: Qt's first use of its widgets); a desk has opened it before. Measured here:
    # the import and the queued save, not that once-per-process cost.
    AddCreditsDialog(ctx, member, "Member One").deleteLater()
    task = ctx.runner.write_task(work) if through_runner else BackgroundTask(work)
    started: list[int] = []
    task.progressed.connect(lambda done, total: started.append(done))
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    task.start()
    qtbot.waitUntil(lambda: bool(started), timeout=60_000)  # the import is writing
    qtbot.wait(300)

    dialog = AddCreditsDialog(ctx, member, "Member One")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(kind))
    dialog.quantity.setValue(3)
    measure_from = len(ticks)
    if through_runner:
        dialog.accepted.connect(lambda: marks.setdefault("added", time.perf_counter()))
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    else:  # the old way: the service called on the GUI thread
        services.credits.add_credits(
            member_id=member,
            appointment_type_id=kind,
            quantity=3,
            expires_on=None,
            price_cents=0,
            note="bench",
            actor=ctx.actor,
        )
        marks["added"] = time.perf_counter()
    qtbot.waitUntil(lambda: "added" in marks and not task.is_running(), timeout=120_000)
    ctx.runner.wait_idle(120_000)
    qtbot.wait(50)
    timer.stop()
    window = ticks[max(measure_from - 1, 0) :]
    lags = [max(0.0, b - a - 0.010) for a, b in itertools.pairwise(window)]
    return {
        "max_stall_ms": max(lags) * 1000,
        "p99_stall_ms": p99(lags) * 1000,
        "commit_to_added_ms": (marks["added"] - marks["commit"]) * 1000,
    }


@pytest.mark.parametrize("way", ["before", "after"])
def test_gui_stall_during_import(
    benchmark,
    qtbot,
    template,  # noqa: F811
    csv_file,  # noqa: F811
    fresh,  # noqa: F811
    tmp_path,
    way,
):
    clock = FixedClock(NOW, GYM_TZ)
    figures: dict[str, float] = {}

    def run() -> None:
        services = Services.build(copy_of(template, tmp_path, fresh), clock)
        figures.update(_scenario(qtbot, services, csv_file, through_runner=way == "after"))

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update({k: round(v, 1) for k, v in figures.items()})
    print(f"\n    {way}: {ROWS:,} rows; " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))
    if way == "after":
        # Measured at 72.9 ms max (p99 26.8 ms) on the first run; with the GIL switch
        # interval at 1 ms (desk.app.share_the_gil) 57.8 / 84.7 ms max, p99 27.1 / 21.7 ms.
        # What is left is one stretch of 55-70 ms just before the import's result comes
        # back: the importer's locals (the parsed table, ~100,000 rows and their objects)
        # freed when import_credits returns, one C-level cascade that holds the GIL
        # whatever the switch interval (found by profiling: import_credits returns,
        # its caller resumes ~54 ms later). The fix is in the importer (free the rows as
        # the chunks are written); the assertion stays so the benchmark says so.
        assert figures["max_stall_ms"] < TARGET_MAX_STALL * 1000
