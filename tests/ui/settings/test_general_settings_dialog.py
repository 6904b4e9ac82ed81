"""Settings > General, driven as a person does: the menu, typing, clicking Save."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from desk.models import AuditEvent
from desk.services.core.ids import StaffId
from desk.ui.settings.general_settings_dialog import OWNERS_ONLY, GeneralSettingsDialog
from desk.ui.shell.main_window import MainWindow
from desk.ui.shell.workstation_settings import (
    LOCALE_KEY,
    LOCK_MINUTES_KEY,
    apply_locale,
    chosen_locale,
    lock_minutes,
)
from tests.actors import SYSTEM

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def desk_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, desk_staff, desk_settings) -> MainWindow:
    main = MainWindow(desk_staff, desk_settings, idle_minutes=0)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def open_general(qtbot, window: MainWindow) -> GeneralSettingsDialog:
    window.general_action.trigger()  # Settings > General…
    dialog = window.findChild(GeneralSettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def retype(qtbot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)


def a_logo_file(tmp_path: Path) -> Path:
    image = QImage(900, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#1d4ed8"))
    path = tmp_path / "logo.jpg"
    assert image.save(str(path))
    return path


def test_saving_the_general_settings_changes_the_title_lock_screen_and_lock_delay(
    qtbot, window, desk_staff, desk_settings, tmp_path, monkeypatch
):
    logo = a_logo_file(tmp_path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(logo), ""))
    )
    dialog = open_general(qtbot, window)
    qtbot.keyClicks(dialog.name, "Northside Strength")
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    assert dialog.logo_preview.pixmap().width() == 128  # 900x300 shrunk to fit
    retype(qtbot, dialog.time_zone.lineEdit(), "Europe/Dublin")
    retype(qtbot, dialog.check_in.findChild(QLineEdit), "20")
    retype(qtbot, dialog.lock_after.findChild(QLineEdit), "15")
    dialog.formats.setFocus()
    QTest.keyClick(dialog.formats, Qt.Key.Key_Down)  # the first choice after the system's
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    general = desk_staff.services.settings.general()
    assert (general.name, general.time_zone, general.check_in_opens_minutes) == (
        "Northside Strength", "Europe/Dublin", 20,
    )  # fmt: skip
    assert general.logo_png is not None
    assert QImage.fromData(general.logo_png).size().toTuple() == (256, 85)
    assert window.windowTitle() == "Northside Strength \N{EM DASH} Desk"
    assert (window.idle_minutes, window.idle_timer.isActive()) == (15, True)
    assert int(str(desk_settings.value(LOCK_MINUTES_KEY))) == 15
    assert desk_settings.value(LOCALE_KEY) == "en_US"
    with desk_staff.services.db.read() as session:
        event = session.query(AuditEvent).filter_by(action="settings.update").one()
    assert event.actor_id == desk_staff.staff_id
    assert set(event.after) == {"gym_name", "gym_logo_png", "time_zone", "check_in_opens_minutes"}

    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    assert window.lock_panel.gym_name.text() == "Northside Strength"
    assert window.lock_panel.gym_name.isVisible()
    assert window.lock_panel.gym_logo.isVisible()


def test_a_zone_that_does_not_exist_is_refused_next_to_the_field(qtbot, window, desk_staff):
    dialog = open_general(qtbot, window)
    qtbot.keyClicks(dialog.name, "Northside")
    retype(qtbot, dialog.time_zone.lineEdit(), "Mars/Olympus")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    qtbot.waitUntil(lambda: dialog.time_zone_error.isVisible())
    assert "'Mars/Olympus' is not a time zone name" in dialog.time_zone_error.text()
    assert dialog.isVisible()
    # Nothing is half-saved: the name that was fine waits for the zone too.
    assert desk_staff.services.settings.general().name == ""
    assert window.windowTitle() == "Desk"


def test_a_file_that_is_no_picture_says_so(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "logo.png"
    bad.write_text("not a picture")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), ""))
    )
    dialog = open_general(qtbot, window)
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)
    assert dialog.logo_error.text() == "Desk can't read logo.png as a picture."
    assert dialog.logo_preview.text() == "No logo"


def test_removing_the_logo_clears_it_for_every_desk(qtbot, window, desk_staff, tmp_path):
    from desk.services.core.settings import GeneralChange

    image = QImage(a_logo_file(tmp_path).as_posix())
    from desk.ui.settings.logo_picture import shrink_to_png

    desk_staff.services.settings.update_general(
        GeneralChange(logo_png=shrink_to_png(image)), actor=SYSTEM
    )
    dialog = open_general(qtbot, window)
    assert dialog.remove_logo_button.isEnabled()
    qtbot.mouseClick(dialog.remove_logo_button, Qt.MouseButton.LeftButton)
    assert dialog.logo_preview.text() == "No logo"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert desk_staff.services.settings.general().logo_png is None


def test_front_desk_staff_see_the_settings_but_cannot_change_the_gym_ones(
    qtbot, ctx, gym, desk_settings
):
    front = ctx.services.staff.create(name="Sam Front", role="front_desk", actor=SYSTEM).value
    ctx.staff_id = StaffId(front.id)
    main = MainWindow(ctx, desk_settings, idle_minutes=0)
    qtbot.addWidget(main)
    main.show()
    dialog = open_general(qtbot, main)
    notice = dialog.findChild(type(dialog.formats_example), "generalSettingsNotice")
    assert notice is not None
    assert notice.text() == OWNERS_ONLY
    for field in (dialog.name, dialog.time_zone, dialog.check_in, dialog.lock_after):
        assert not field.isEnabled()
    assert not dialog.save_button.isEnabled()
    assert dialog.formats.isEnabled()


def test_this_desks_choices_read_back_and_junk_reads_as_the_default(desk_settings, qapp):
    assert lock_minutes(desk_settings) == 10
    desk_settings.setValue(LOCK_MINUTES_KEY, "soon")
    assert lock_minutes(desk_settings) == 10
    desk_settings.setValue(LOCK_MINUTES_KEY, 0)
    assert lock_minutes(desk_settings) == 0
    desk_settings.setValue(LOCALE_KEY, "xx_YY")
    assert chosen_locale(desk_settings) == ""
    desk_settings.setValue(LOCALE_KEY, "en_US")
    before = QLocale()
    try:
        apply_locale(desk_settings)
        assert QLocale().name() == "en_US"
        assert QLocale().toString(1234.5, "f", 2) == "1,234.50"
    finally:
        QLocale.setDefault(before)
    assert QApplication.instance() is qapp


def _open_visible(qtbot, window: MainWindow) -> GeneralSettingsDialog:
    window.general_action.trigger()  # Settings > General…
    [dialog] = [d for d in window.findChildren(GeneralSettingsDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    return dialog


def test_ticking_the_box_and_saving_lets_the_front_desk_book_unpaid(qtbot, window, desk_staff):
    dialog = _open_visible(qtbot, window)
    assert not dialog.unpaid_box.isChecked()
    qtbot.mouseClick(dialog.unpaid_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert not dialog.isVisible()
    assert desk_staff.services.unpaid.front_desk_books_unpaid()
    dialog = _open_visible(qtbot, window)
    assert dialog.unpaid_box.isChecked()
    qtbot.mouseClick(dialog.unpaid_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert not desk_staff.services.unpaid.front_desk_books_unpaid()
