"""The lock screen: the cursor waits in Username, and no member count shows behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desk.services.core.ids import StaffId
from desk.ui.shell.main_window import MainWindow


def _locked_window(qtbot, ctx, gym) -> MainWindow:
    owner = ctx.services.auth.create_owner(name="Dana", username="dana", password="a long password")
    ctx.staff_id = StaffId(owner.value.id)
    window = MainWindow(ctx, None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.search_panel.focus_search()
    window.lock()
    assert window.locked
    return window


def test_the_username_field_has_the_focus_when_locked(qtbot, ctx, gym):
    window = _locked_window(qtbot, ctx, gym)
    username = window.lock_panel.username
    qtbot.waitUntil(lambda: QApplication.focusWidget() is username)
    assert username.hasFocus()


def test_the_member_count_hides_while_locked_and_comes_back(qtbot, ctx, gym):
    window = _locked_window(qtbot, ctx, gym)
    assert not window.member_count.isVisible()
    assert "member" in window.member_count.text()  # still kept up to date
    panel = window.lock_panel
    qtbot.keyClicks(panel.username, "dana")
    qtbot.keyClicks(panel.password, "a long password")
    qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert not window.locked
    assert window.member_count.isVisible()


def test_locking_from_a_profile_puts_the_cursor_in_username(qtbot, ctx, gym):
    owner = ctx.services.auth.create_owner(name="Dana", username="dana", password="a long password")
    ctx.staff_id = StaffId(owner.value.id)
    window = MainWindow(ctx, None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    profile = window.open_profile(gym["ann"])
    profile.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is profile)
    window.lock()
    assert not profile.isVisible()
    username = window.lock_panel.username
    qtbot.waitUntil(lambda: QApplication.focusWidget() is username)


def test_who_was_signed_in_and_where_the_data_lives_hide_while_locked(qtbot, ctx, gym):
    window = _locked_window(qtbot, ctx, gym)
    assert window.signed_in.text() == ""
    assert not window.database_label.isVisible()
    panel = window.lock_panel
    qtbot.keyClicks(panel.username, "dana")
    qtbot.keyClicks(panel.password, "a long password")
    qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert "Dana" in window.signed_in.text()
    assert window.database_label.isVisible()
