"""Help > About: what support asks for first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from desk import __version__
from desk.logging_setup import configure_logging, stop_logging
from desk.ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, ctx, tmp_path: Path) -> MainWindow:
    win = MainWindow(ctx, QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.show()
    return win


def about_box(win: MainWindow) -> QMessageBox:
    box = win.findChild(QMessageBox, "aboutDialog")
    assert box is not None
    return box


def test_about_shows_version_database_and_log_folder(qtbot, window, services, tmp_path):
    configure_logging(tmp_path / "logs")
    try:
        window.about_action.trigger()
        box = about_box(window)
        qtbot.waitUntil(box.isVisible)
        text = box.text()
        assert __version__ in text
        assert services.db.describe() in text
        assert str(tmp_path / "logs") in text
    finally:
        stop_logging()
    box.accept()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "aboutDialog") is None)


def test_about_names_the_default_log_folder_before_logging_starts(
    qtbot, window, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        "desk.logging_setup.platformdirs.user_log_dir", lambda *a, **k: str(tmp_path / "default")
    )
    box = window.show_about()
    assert str(tmp_path / "default") in box.text()
    assert not (tmp_path / "default").exists()  # showing it creates nothing
    box.close()


def test_about_does_not_block(window):
    box = window.show_about()
    # Shown window-modal and returned at once: nothing waits on a click.
    assert box.isVisible()
    box.close()
