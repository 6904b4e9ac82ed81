"""Every button and menu item of the main window's members page, and of the lock
screen, does something visible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar

from tests.ui.button_walk import menu_actions, walk_buttons, walk_menu_actions
from tests.ui.driving import click_tab

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


def members_page(window) -> None:
    click_tab(window.pages, window.pages.indexOf(window.members_page))


def test_every_button_of_the_members_page_and_toolbar(shown_window, message_boxes):
    window = shown_window
    members_page(window)
    QTest.keyClicks(window.search_panel.search, "Ann")  # the bar's clear button shows
    toolbar = window.findChild(QToolBar, "mainToolbar")
    walk = walk_buttons(
        window.members_page,
        settle=window._ctx.runner.wait_idle,
        messages=message_boxes,
        roots=lambda: [toolbar],
        last=["switchUserAction"],  # locking turns the rest off
    )
    assert walk.no_effect == []
    assert {
        "newMemberAction", "addCreditsAction", "bookAction", "appointmentTypesAction",
        "staffAction", "switchUserAction",
    } <= set(walk.clicked)  # fmt: skip
    assert window.locked


@pytest.fixture
def window_with_settings(qtbot, desk_staff, tmp_path):
    """The main window with this desk's settings file (Settings > General needs one)."""
    from desk.ui.shell.main_window import MainWindow

    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(desk_staff, settings, idle_minutes=0)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_menu_item(window_with_settings, message_boxes):
    window = window_with_settings
    members_page(window)
    names = {a.objectName() for a in menu_actions(window)}
    assert len(names) >= 17
    walk = walk_menu_actions(
        window,
        settle=window._ctx.runner.wait_idle,
        messages=message_boxes,
        last=["switchUserAction", "quitAction"],
    )
    assert walk.no_effect == []
    assert set(walk.clicked) == names


def test_every_button_of_the_lock_screen(shown_window, message_boxes):
    window = shown_window
    window.lock()
    panel = window.lock_panel
    walk = walk_buttons(
        panel,
        settle=window._ctx.runner.wait_idle,
        messages=message_boxes,
        last=["lockQuitButton"],
    )
    assert walk.no_effect == []
    assert walk.clicked == ["lockSignInButton", "lockQuitButton"]
    assert panel.error.isVisible()  # Sign in with nothing typed says why not
