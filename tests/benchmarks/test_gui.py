"""The screens at 100,000 members (pytest-qt, offscreen): keystroke to results,
a heavy member's profile, and the busiest week of the calendar.
"""

from __future__ import annotations

import itertools
import os
from datetime import timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desk.gc_settings import freeze_long_lived_objects
from desk.services.container import Services
from desk.ui.calendar.calendar_view import CalendarView
from desk.ui.members.member_profile import MemberProfile
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.context import DeskContext
from desk.ui.shell.main_window import MainWindow
from tests.benchmarks import data

# (typed before, the keystroke measured): each key adds one letter to a search.
KEYSTROKES = [("ro", "s"), ("nde", "z"), ("sam.mill", "e"), ("380 98", "4"), ("oliv", "i")]


@pytest.fixture
def ctx(bench_services: Services) -> DeskContext:
    context = DeskContext(services=bench_services, hub=ChangeHub())
    freeze_long_lived_objects()  # as `desk` does once its window is up
    return context


def test_keystroke_to_results(benchmark, ctx: DeskContext, qtbot, tmp_path: Path):
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings, idle_minutes=0)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    panel = window.search_panel
    bar = panel.search
    assert bar.objectName() == "memberSearch"
    assert panel.results.objectName() == "memberResults"
    bar.setFocus()
    cases = itertools.cycle(KEYSTROKES)

    def setup():
        before, key = next(cases)
        bar.setText(before)
        panel._throttle.flush()
        panel._throttle._timer.stop()  # the next keystroke is the first of a burst
        QApplication.processEvents()
        return (key, before + key), {}

    def keystroke(key: str, expected: str) -> int:
        QTest.keyClick(bar, key)
        assert bar.text() == expected
        rows = panel.proxy.rowCount()
        assert rows > 0
        QApplication.processEvents()  # the view lays out and paints the rows
        return rows

    benchmark.pedantic(keystroke, setup=setup, rounds=100, warmup_rounds=5)


def test_open_profile_2000_appointments_500_lots(benchmark, ctx: DeskContext, qtbot):
    opened: list[MemberProfile] = []

    def teardown_previous():
        # Closed as a person closes it (the profile deletes itself on close), and the
        # deletion carried out now: processEvents() alone never runs a deferred delete,
        # so earlier rounds' windows (and their rows) stayed alive and shown.
        while opened:
            opened.pop().close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        return (), {}

    def open_profile() -> MemberProfile:
        profile = MemberProfile(ctx, data.HEAVY_MEMBER)
        opened.append(profile)
        profile.show()
        ctx.runner.wait_idle()  # fetched on the read worker, applied here
        QApplication.processEvents()  # and painted
        return profile

    profile = benchmark.pedantic(open_profile, setup=teardown_previous, rounds=8, warmup_rounds=1)
    assert profile.lot_model.rowCount() >= data.HEAVY_LOTS  # Credits tab: every open lot
    assert profile.history_model.rowCount() >= data.HEAVY_APPOINTMENTS  # Appointments tab
    benchmark.extra_info["lots"] = profile.lot_model.rowCount()
    benchmark.extra_info["history_rows"] = profile.history_model.rowCount()
    teardown_previous()


def test_week_with_1000_appointments_navigate_and_paint(benchmark, ctx: DeskContext, qtbot):
    view = CalendarView(ctx)
    qtbot.addWidget(view)
    view.resize(1440, 900)
    view.show()
    qtbot.waitExposed(view)
    quiet_week = data.BUSY_MONDAY + timedelta(days=7)

    def elsewhere():
        view.show_week(quiet_week)
        ctx.runner.wait_idle()
        return (), {}

    def navigate_and_paint() -> int:
        view.show_week(data.BUSY_MONDAY)
        ctx.runner.wait_idle()  # fetched on the read worker, drawn here
        return view.grab().width()

    assert benchmark.pedantic(navigate_and_paint, setup=elsewhere, rounds=10, warmup_rounds=1)
    assert len(view.canvas.blocks) == data.BUSY_APPOINTMENTS
    benchmark.extra_info["appointments"] = len(view.canvas.blocks)
