"""The profile reloads exactly once per change, and not at all while hidden."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.member_profile import MemberProfile
from tests.actors import SYSTEM


def test_add_credits_from_the_profile_reloads_it_once(qtbot, desk_staff, gym):
    profile = MemberProfile(desk_staff, gym["ann"])
    qtbot.addWidget(profile)
    profile.show()
    desk_staff.runner.wait_idle()
    before = profile.reloads
    dialog = AddCreditsDialog(desk_staff, gym["ann"], "Ann Smith", parent=profile)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.appointment_type.setCurrentIndex(dialog.appointment_type.findData(gym["pt"]))
    dialog.quantity.setValue(2)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert profile.reloads == before + 1


def test_a_change_while_hidden_reloads_once_when_shown(qtbot, desk_staff, gym):
    profile = MemberProfile(desk_staff, gym["ann"])
    qtbot.addWidget(profile)
    profile.show()
    desk_staff.runner.wait_idle()
    profile.hide()
    before = profile.reloads
    for quantity in (1, 2):
        outcome = desk_staff.services.credits.add_credits(
            member_id=MemberId(gym["ann"]),
            appointment_type_id=AppointmentTypeId(gym["pt"]),
            quantity=quantity,
            expires_on=None,
            actor=SYSTEM,
        )
        desk_staff.hub.publish(outcome.changes)
    desk_staff.runner.wait_idle()
    assert profile.reloads == before
    profile.show()
    desk_staff.runner.wait_idle()
    assert profile.reloads == before + 1
