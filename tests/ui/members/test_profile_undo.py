"""Undo on the member profile (issue 18, item 11): after Add Credits, Adjust or Void the
status line offers Undo; Ctrl+Z or the link takes it back and the numbers return; a
refusal shows its reason."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QLineEdit

from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.adjust_credits_dialog import AdjustCreditsDialog
from tests.ui.members.profile_reading import balance


def _add_one_credit(profile, monkeypatch, ctx) -> None:
    """Add Credits from the profile's button; Enter in the note adds 1 credit."""

    def run(dialog: AddCreditsDialog) -> int:
        dialog.show()
        QTest.keyClick(dialog.note, Qt.Key.Key_Return)
        ctx.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AddCreditsDialog, "exec", run)
    QTest.mouseClick(profile.view.add_credits_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()


def _ctrl_z(profile, qtbot) -> None:
    # Ctrl+Z is the profile's shortcut: its window must be the active one, as on a desk.
    with qtbot.waitActive(profile):
        profile.activateWindow()
    profile.view.balances.setFocus()
    QTest.keyClick(profile.view.balances, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_z_takes_back_the_add_credits_just_done(profile, qtbot, monkeypatch, desk_staff):
    ctx = desk_staff
    assert balance(profile, "Personal Training")["open"] == 10
    assert profile.view.undo_link.isHidden()
    _add_one_credit(profile, monkeypatch, ctx)
    assert balance(profile, "Personal Training")["open"] == 11
    assert profile.view.action_status.text() == (
        "Added 1 Personal Training credit to Ann Smith, never expiring —"
    )
    assert profile.view.undo_link.isVisible()
    _ctrl_z(profile, qtbot)
    ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 10
    assert profile.view.action_status.text() == "Undone: Added 1 Personal Training credit."
    assert profile.view.undo_link.isHidden()
    # Ctrl+Z again: nothing left to undo, and the balance stays.
    _ctrl_z(profile, qtbot)
    ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 10
    assert "Nothing to undo" in profile.view.action_status.text()
    assert len(ctx.services.audit.events(action="credits.undo")) == 1


def test_the_undo_link_takes_back_an_adjustment(profile, qtbot, monkeypatch, desk_staff):
    ctx = desk_staff

    def run(dialog: AdjustCreditsDialog) -> int:
        dialog.delta.setValue(-3)
        QTest.keyClicks(dialog.reason, "stocktake")
        QTest.mouseClick(dialog.adjust_button, Qt.MouseButton.LeftButton)
        ctx.runner.wait_idle()
        return dialog.result()

    monkeypatch.setattr(AdjustCreditsDialog, "exec", run)
    QTest.mouseClick(profile.view.adjust_credits_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 7
    assert profile.view.action_status.text() == "Took 3 Personal Training credits off —"
    QTest.mouseClick(profile.view.undo_link, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 10


def test_after_ten_minutes_the_link_says_why_it_cannot(profile, qtbot, monkeypatch, desk_staff):
    ctx = desk_staff
    _add_one_credit(profile, monkeypatch, ctx)
    assert profile.view.undo_link.isVisible()
    ctx.services.clock.current += timedelta(minutes=14)  # type: ignore[attr-defined]
    QTest.mouseClick(profile.view.undo_link, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert profile.view.action_status.text() == (
        "Undo is only for 10 minutes: this was 14 minutes ago."
    )
    assert balance(profile, "Personal Training")["open"] == 11


def test_a_void_from_the_profile_is_undone_with_ctrl_z(profile, qtbot, monkeypatch, desk_staff):
    ctx = desk_staff

    def type_reason(box: QInputDialog) -> int:
        # Not shown: on the offscreen platform a shown box stays the active window.
        edit = box.findChild(QLineEdit)
        assert edit is not None
        QTest.keyClicks(edit, "sold to the wrong member")
        buttons = box.findChild(QDialogButtonBox)
        assert buttons is not None
        QTest.mouseClick(
            buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        return box.result()

    monkeypatch.setattr(QInputDialog, "exec", type_reason)
    profile.view.lots.selectRow(0)
    QTest.mouseClick(profile.view.void_button, Qt.MouseButton.LeftButton)
    ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 0
    assert profile.view.action_status.text().startswith("Voided a sale (10 credits removed)")
    _ctrl_z(profile, qtbot)
    ctx.runner.wait_idle()
    assert balance(profile, "Personal Training")["open"] == 10
