"""Add Credits says what it added; from the main window it starts with nobody picked."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar

from desk.services.core.ids import MemberId
from desk.ui.members.add_credits_dialog import AddCreditsDialog


def pick_member(dialog: AddCreditsDialog, typed: str) -> None:
    """Type into the client field and take the first suggestion from its popup."""
    QTest.keyClicks(dialog.client, typed)
    popup = dialog.client.completer().popup()
    assert popup.isVisible()
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)


def test_from_the_main_window_nobody_is_picked_until_someone_is(
    shown_window, qtbot, monkeypatch, gym
):
    window = shown_window
    ctx = window._ctx
    window.focus_search()
    QTest.keyClicks(window.search_panel.search, "Ann")
    assert window.search_panel.selected_member() is not None  # Ann is selected...
    seen: dict[str, object] = {}

    def run(dialog: AddCreditsDialog) -> int:
        dialog.show()
        seen["preset"] = dialog.client.member_id()  # ...but not handed to the form
        seen["enabled"] = dialog.add_button.isEnabled()
        QTest.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter with nobody picked: nothing
        ctx.runner.wait_idle()
        seen["after_enter"] = dialog.isVisible()
        pick_member(dialog, "Bob")
        dialog.quantity.selectAll()
        QTest.keyClicks(dialog.quantity, "5")
        QTest.mouseClick(dialog.never_expires, Qt.MouseButton.LeftButton)
        dialog.expiry.edit.selectAll()
        QTest.keyClicks(dialog.expiry.edit, "30 Jun 2027")
        QTest.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        ctx.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddCreditsDialog, "exec", run)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    button = toolbar.widgetForAction(window.add_credits_action)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seen == {"preset": None, "enabled": False, "after_enter": True}
    [lot] = [
        lot
        for lot in ctx.services.credits.lots(MemberId(gym["bob"]), include_expired=True)
        if lot.quantity == 5
    ]
    assert lot.expires_on == date(2027, 6, 30)
    assert ctx.services.credits.lots(MemberId(gym["ann"]))[0].quantity == 10  # Ann got none
    assert window.statusBar().currentMessage() == (
        "Added 5 Personal Training credits to Bob Jones, expiring 30 Jun 2027"
    )


def test_the_profile_says_what_was_added(profile, qtbot, monkeypatch, desk_staff):
    def run(dialog: AddCreditsDialog) -> int:
        dialog.show()
        assert dialog.client.member_id() == profile.member_id
        QTest.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter adds: 1 credit, no expiry
        desk_staff.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddCreditsDialog, "exec", run)
    assert profile.view.action_status.text() == ""
    QTest.mouseClick(profile.view.add_credits_button, Qt.MouseButton.LeftButton)
    assert profile.view.action_status.text() == (
        "Added 1 Personal Training credit to Ann Smith, never expiring —"
    )  # followed by the Undo link (test_profile_undo.py)
