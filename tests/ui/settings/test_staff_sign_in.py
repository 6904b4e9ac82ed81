"""Settings > Staff: who can sign in, and a namesake asked about before it is added."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from desk.services.core.ids import StaffId
from desk.ui.settings.staff_dialog import StaffDialog
from desk.ui.settings.staff_login_dialog import StaffLoginDialog
from desk.ui.settings.staff_table_model import StaffTableModel
from desk.ui.shell.login_dialog import LoginDialog
from tests.actors import SYSTEM
from tests.ui.record_lists import child, click_row, shown

# The offscreen platform says this about every window shown; it means nothing here.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


def sign_in_column(dialog: StaffDialog) -> dict[str, str]:
    model = dialog.model
    return {
        model.row_at(r).name: model.index(r, StaffTableModel.COL_SIGN_IN).data()
        for r in range(model.rowCount())
    }


def test_the_list_says_who_can_sign_in(qtbot, desk_staff, gym):
    desk_staff.services.auth.set_login(
        StaffId(gym["desk"]), username="robin", password="robin's password", actor=SYSTEM
    )
    dialog = StaffDialog(desk_staff)
    qtbot.addWidget(dialog)
    header = dialog.model.headerData(StaffTableModel.COL_SIGN_IN, Qt.Orientation.Horizontal)
    assert header == "Sign-in"
    assert sign_in_column(dialog) == {"Kim Alvarez": "no login", "Robin Ames": "robin"}


def test_a_namesake_is_asked_about_first(qtbot, desk_staff, gym, monkeypatch):
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(parent, title, text, *args):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = StaffDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.name_field, "kim alvarez")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert asked == ["There is already a staff member named Kim Alvarez. Add another?"]
    assert dialog.created_staff_ids == []
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert len(asked) == 2
    assert len(dialog.created_staff_ids) == 1
    names = [s.name for s in desk_staff.services.staff.list()]
    assert names.count("kim alvarez") + names.count("Kim Alvarez") == 2


# --- Sign-in…: a username and password given by clicking ----------------------------------


def open_sign_in(qtbot, dialog: StaffDialog, name: str) -> StaffLoginDialog:
    """Select ``name``'s row, click Sign-in…, and return the form that opened."""
    click_row(qtbot, dialog, "staffTable", name, StaffTableModel.COL_NAME)
    assert dialog.form_title.text() == name
    button = child(dialog, QPushButton, "staffSignInButton")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    login = dialog.findChild(StaffLoginDialog)
    assert login is not None
    qtbot.waitExposed(login)
    return login


def fill(qtbot, login: StaffLoginDialog, username: str | None, password: str, repeat: str) -> None:
    if username is not None:
        login.username.clear()
        qtbot.keyClicks(login.username, username)
    qtbot.keyClicks(login.password, password)
    qtbot.keyClicks(login.repeat, repeat)


def sign_in(qtbot, ctx, username: str, password: str) -> LoginDialog:
    """Sign in through the real login dialog, by typing and clicking."""
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    return dialog


def test_an_admin_gives_a_coach_a_sign_in(qtbot, desk_staff, gym):
    dialog = shown(qtbot, StaffDialog(desk_staff))
    login = open_sign_in(qtbot, dialog, "Kim Alvarez")
    assert login.windowTitle() == "Sign-in"
    assert login.username.text() == ""
    assert "Reset" not in login.heading.text()
    fill(qtbot, login, "Kim", "kim's long password", "kim's long password")
    qtbot.mouseClick(login.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert not login.isVisible()
    assert sign_in_column(dialog)["Kim Alvarez"] == "kim"
    assert child(dialog, QLabel, "staffSignInLabel").text() == "kim"
    assert dialog.status_label.text() == "Kim Alvarez signs in as kim."
    # Kim can sign in now, through the real sign-in dialog and the service.
    assert sign_in(qtbot, desk_staff, "kim", "kim's long password").staff.id == gym["coach"]
    assert desk_staff.services.auth.sign_in("kim", "kim's long password").name == "Kim Alvarez"
    events = desk_staff.services.audit.events(action="staff.set_login")
    assert [(e.actor, e.after) for e in events] == [("Robin Ames", {"username": "kim"})]


def test_a_password_is_reset_and_a_differing_repeat_never_reaches_the_service(
    qtbot, desk_staff, gym
):
    desk_staff.services.auth.set_login(
        StaffId(gym["coach"]), username="kim", password="the old password", actor=SYSTEM
    )
    dialog = shown(qtbot, StaffDialog(desk_staff))
    login = open_sign_in(qtbot, dialog, "Kim Alvarez")
    assert login.username.text() == "kim"
    assert "Reset the password" in login.windowTitle()
    assert login.heading.text().startswith("Reset the password")
    fill(qtbot, login, None, "the new password", "the new passwort")
    qtbot.mouseClick(login.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert login.isVisible()
    assert login.repeat_error.text() == "The two passwords differ."
    assert len(desk_staff.services.audit.events(action="staff.set_login")) == 1  # ours only
    login.repeat.clear()
    assert not login.repeat_error.isVisibleTo(login)
    qtbot.keyClicks(login.repeat, "the new password")
    qtbot.mouseClick(login.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert not login.isVisible()
    assert sign_in(qtbot, desk_staff, "kim", "the old password").staff is None
    assert sign_in(qtbot, desk_staff, "kim", "the new password").staff.name == "Kim Alvarez"


def test_a_taken_username_and_a_short_password_are_refused_next_to_their_fields(
    qtbot, desk_staff, gym
):
    desk_staff.services.auth.set_login(
        StaffId(gym["desk"]), username="robin", password="robin's password", actor=SYSTEM
    )
    dialog = shown(qtbot, StaffDialog(desk_staff))
    login = open_sign_in(qtbot, dialog, "Kim Alvarez")
    fill(qtbot, login, "robin", "a long password", "a long password")
    qtbot.mouseClick(login.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert login.isVisible()
    assert "is taken" in login.username_error.text()
    assert not login.password_error.isVisibleTo(login)
    login.password.clear()
    login.repeat.clear()
    fill(qtbot, login, "kim", "short", "short")
    assert not login.username_error.isVisibleTo(login)
    qtbot.mouseClick(login.save_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert login.isVisible()
    assert "at least 8 characters" in login.password_error.text()
    assert sign_in_column(dialog)["Kim Alvarez"] == "no login"


def test_sign_in_needs_a_saved_staff_member(qtbot, desk_staff, gym):
    dialog = shown(qtbot, StaffDialog(desk_staff))
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert not child(dialog, QPushButton, "staffSignInButton").isEnabled()


def test_the_front_desk_sees_sign_in_disabled(qtbot, ctx, gym):
    front = ctx.services.staff.create(name="Frankie Desk", role="front_desk", actor=SYSTEM)
    ctx.staff_id = StaffId(front.value.id)
    dialog = shown(qtbot, StaffDialog(ctx))
    click_row(qtbot, dialog, "staffTable", "Kim Alvarez", StaffTableModel.COL_NAME)
    assert dialog.form_title.text() == "Kim Alvarez"
    button = child(dialog, QPushButton, "staffSignInButton")
    assert not button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.findChild(StaffLoginDialog) is None
