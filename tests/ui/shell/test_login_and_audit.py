"""Owner setup, sign-in, the idle lock, switching user, and the audit log viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.services.core.ids import MemberId, StaffId
from desk.ui.settings.audit_log_dialog import AuditLogDialog
from desk.ui.shell.login_dialog import LoginDialog
from desk.ui.shell.main_window import MainWindow
from desk.ui.shell.owner_setup_dialog import OwnerSetupDialog
from tests.actors import SYSTEM, as_staff


def test_owner_setup_checks_the_form_and_creates_the_owner(qtbot, ctx):
    dialog = OwnerSetupDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.create_button.isEnabled()
    dialog.name.setText("Dana Whitfield")
    dialog.username.setText("dana")
    dialog.password.setText("short")
    assert "at least 8" in dialog.error.text()
    dialog.password.setText("a long password")
    dialog.repeat.setText("a long passwore")
    assert "differ" in dialog.error.text()
    dialog.repeat.setText("a long password")
    assert dialog.create_button.isEnabled()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert dialog.owner is not None
    assert dialog.owner.role.value == "owner"
    assert not ctx.services.auth.needs_owner()


def test_owner_setup_asks_before_adding_a_namesake_of_a_staff_member(qtbot, ctx, gym, monkeypatch):
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(parent, title, text, *args):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = OwnerSetupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, " kim  alvarez")
    qtbot.keyClicks(dialog.username, "kim")
    qtbot.keyClicks(dialog.password, "a long password")
    qtbot.keyClicks(dialog.repeat, "a long password")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert asked == ["There is already a staff member named Kim Alvarez. Add another?"]
    assert dialog.owner is None
    assert ctx.services.auth.needs_owner()
    assert dialog.name.text() == " kim  alvarez"  # No keeps the form as it was
    assert dialog.create_button.isEnabled()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert len(asked) == 2
    assert dialog.owner is not None
    assert dialog.owner.role.value == "owner"
    assert not ctx.services.auth.needs_owner()
    assert len(ctx.services.staff.namesakes("Kim Alvarez")) == 2


def test_owner_setup_with_a_new_name_asks_nothing(qtbot, ctx, gym, monkeypatch):
    def question(*args):
        raise AssertionError("asked about a name no one has")

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialog = OwnerSetupDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Dana Whitfield")
    qtbot.keyClicks(dialog.username, "dana")
    qtbot.keyClicks(dialog.password, "a long password")
    qtbot.keyClicks(dialog.repeat, "a long password")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert dialog.owner is not None


def test_login_refuses_a_wrong_password_and_accepts_the_right_one(qtbot, ctx):
    ctx.services.auth.create_owner(name="Dana", username="dana", password="a long password")
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.username.setText("dana")
    dialog.password.setText("guess")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert dialog.staff is None
    assert "Wrong username or password" in dialog.error.text()
    assert dialog.password.text() == ""
    dialog.password.setText("a long password")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert dialog.staff is not None
    assert dialog.staff.name == "Dana"


def sign_in_on_the_lock(qtbot, window, username: str, password: str) -> None:
    panel = window.lock_panel
    qtbot.keyClicks(panel.username, username)
    qtbot.keyClicks(panel.password, password)
    qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)


def test_idle_desk_locks_and_another_person_takes_over(qtbot, ctx, gym):
    owner = ctx.services.auth.create_owner(name="Dana", username="dana", password="a long password")
    ctx.services.auth.set_login(
        StaffId(gym["desk"]), username="robin", password="robin's password", actor=SYSTEM
    )
    ctx.staff_id = StaffId(owner.value.id)
    window = MainWindow(ctx, None, idle_minutes=1)
    qtbot.addWidget(window)
    window.show()
    assert window.idle_timer.isActive()
    assert window.idle_timer.interval() == 60_000
    window.idle_timer.timeout.emit()  # what ten quiet minutes would do
    assert window.locked
    assert window.lock_panel.heading.text() == "Locked by Dana"
    assert not window.idle_timer.isActive()
    sign_in_on_the_lock(qtbot, window, "robin", "robin's password")
    ctx.runner.wait_idle()
    assert not window.locked
    assert ctx.staff_id == gym["desk"]
    assert "Robin Ames" in window.signed_in.text()
    assert window.idle_timer.isActive()
    events = ctx.services.audit.events(action_prefix="desk.")
    assert [(e.action, e.actor, e.after) for e in events] == [
        ("desk.unlock", "Robin Ames", None),
        ("desk.lock", "Dana", {"how": "idle"}),
    ]


def test_ctrl_l_hides_member_data_until_someone_signs_in(qtbot, ctx, gym):
    ctx.services.auth.set_login(
        StaffId(gym["desk"]), username="robin", password="robin's password", actor=SYSTEM
    )
    ctx.staff_id = StaffId(gym["desk"])
    window = MainWindow(ctx, None, idle_minutes=0)
    qtbot.addWidget(window)
    # waitActive is a context manager: activation is asynchronous, even offscreen, and
    # no shortcut fires while the application has no active window.
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.today.isVisible()  # the day's sessions: member data too
    window.focus_search()  # the window opens on Today; the search panel is a page over
    profile = window.open_profile(gym["ann"])
    qtbot.waitUntil(lambda: QApplication.activeWindow() is profile)
    assert window.search_panel.isVisible()
    # Pressed in the profile, a window of its own: the shortcut is application-wide.
    QTest.keyClick(profile, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock_panel.isVisible()
    assert window.lock_panel.heading.text() == "Locked by Robin Ames"
    assert not window.search_panel.isVisible()
    assert not window.today.isVisible()
    assert not window.pages.isVisible()
    assert not profile.isVisible()
    assert not window.new_member_action.isEnabled()
    # A wrong password keeps it locked (and is audited with the username only).
    sign_in_on_the_lock(qtbot, window, "robin", "not it at all")
    assert "Wrong username or password" in window.lock_panel.error.text()
    assert not window.search_panel.isVisible()
    window.lock_panel.username.clear()
    sign_in_on_the_lock(qtbot, window, "robin", "robin's password")
    ctx.runner.wait_idle()
    assert window.search_panel.isVisible()
    assert profile.isVisible()
    assert not window.lock_panel.isVisible()
    assert window.new_member_action.isEnabled()
    # And from the main window itself.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    ctx.runner.wait_idle()
    actions = [e.action for e in ctx.services.audit.events(action_prefix="desk.")]
    assert actions == ["desk.lock", "desk.unlock", "desk.lock"]
    failed = ctx.services.audit.events(action="staff.sign_in_failed")
    assert [e.after for e in failed] == [{"username": "robin"}]


def test_quit_on_the_lock_closes_the_window(qtbot, ctx, gym):
    ctx.staff_id = StaffId(gym["desk"])
    window = MainWindow(ctx, None, idle_minutes=0)
    qtbot.addWidget(window)
    window.show()
    assert not window.idle_timer.isActive()
    window.switch_user_action.trigger()
    qtbot.mouseClick(window.lock_panel.quit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_front_desk_can_not_restore_a_backup(qtbot, ctx, message_boxes, tmp_path):
    front = ctx.services.staff.create(name="Frankie", role="front_desk", actor=SYSTEM).value
    ctx.staff_id = StaffId(front.id)
    window = MainWindow(ctx, None, idle_minutes=0)
    qtbot.addWidget(window)
    assert window.restore(tmp_path / "whatever.sqlite3") is None
    assert any("may not restore a backup" in text for text in message_boxes)


def test_audit_log_filters_and_exports(qtbot, desk_staff, gym, tmp_path):
    services = desk_staff.services
    services.members.update(
        MemberId(gym["bob"]), notes="likes mornings", actor=as_staff(StaffId(gym["desk"]))
    )
    services.credits.adjust(
        member_id=MemberId(gym["ann"]),
        appointment_type_id=gym["pt"],
        delta=-1,
        reason="typo",
        actor=as_staff(StaffId(gym["desk"])),
    )
    dialog = AuditLogDialog(desk_staff)
    qtbot.addWidget(dialog)
    everything = dialog.model.rowCount()
    assert everything >= 8  # the gym fixture's creations plus the two changes
    dialog.kind.setCurrentIndex(dialog.kind.findData("credits."))
    actions = {dialog.model.row_at(i).action for i in range(dialog.model.rowCount())}
    assert actions == {"credits.add", "credits.adjust"}
    dialog.staff.setCurrentIndex(dialog.staff.findData(gym["desk"]))
    assert [dialog.model.row_at(i).action for i in range(dialog.model.rowCount())] == [
        "credits.adjust"
    ]
    assert dialog.count.text() == "1 event"
    path = dialog.export(tmp_path / "audit.csv")
    text = Path(path).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("When (UTC),Who,What")
    assert "credits.adjust" in text
    assert "Robin Ames" in text
