"""Settings > General: "The front desk may book sessions without a credit (unpaid)"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from desk.ui.settings.general_settings_dialog import GeneralSettingsDialog
from desk.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def window(qtbot, desk_staff, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    main = MainWindow(desk_staff, settings, idle_minutes=0)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def open_general(qtbot, window: MainWindow) -> GeneralSettingsDialog:
    window.general_action.trigger()  # Settings > General…
    [dialog] = [d for d in window.findChildren(GeneralSettingsDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    return dialog


def test_ticking_the_box_and_saving_lets_the_front_desk_book_unpaid(qtbot, window, desk_staff):
    dialog = open_general(qtbot, window)
    assert not dialog.unpaid_box.isChecked()
    qtbot.mouseClick(dialog.unpaid_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert not dialog.isVisible()
    assert desk_staff.services.unpaid.front_desk_books_unpaid()
    dialog = open_general(qtbot, window)
    assert dialog.unpaid_box.isChecked()
    qtbot.mouseClick(dialog.unpaid_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert not desk_staff.services.unpaid.front_desk_books_unpaid()
