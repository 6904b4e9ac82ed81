"""Tab visits the lock screen's fields in reading order."""

from __future__ import annotations

import pytest

from tests.ui.tab_order import tab_through

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


def test_lock_screen(shown_window):
    shown_window.lock()
    expected, visited = tab_through(shown_window.lock_panel)
    assert visited == expected == ["lockUsernameField", "lockPasswordField"]
