"""Tab visits the fields of the lock screen, the sign-in and the owner set-up, in
reading order."""

from __future__ import annotations

import pytest

from desk.ui.shell.login_dialog import LoginDialog
from desk.ui.shell.owner_setup_dialog import OwnerSetupDialog
from tests.ui.driving import shown
from tests.ui.tab_order import tab_through

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


def test_lock_screen(shown_window):
    shown_window.lock()
    expected, visited = tab_through(shown_window.lock_panel)
    assert visited == expected == ["lockUsernameField", "lockPasswordField"]


@pytest.mark.parametrize("build", [LoginDialog, OwnerSetupDialog])
def test_sign_in_and_owner_setup(qtbot, ctx, build):
    dialog = shown(qtbot, build(ctx))
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert len(expected) >= 2
