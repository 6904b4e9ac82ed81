"""The Reports page's tests: the main window on the Reports page (Ctrl+4) over the
small fixed gym (tests/services/reports/small_gym.py) and the UI tests' gym."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.services.reports.small_gym import build_small_gym


@pytest.fixture
def window(shown_window, desk_staff, clock, qtbot):
    build_small_gym(desk_staff.services, clock)
    desk_staff.runner.wait_idle()
    QTest.keyClick(shown_window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = shown_window.reports
    desk_staff.runner.wait_idle()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return shown_window
