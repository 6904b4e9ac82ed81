"""Tab visits every field of the member and credit dialogs, in reading order."""

from __future__ import annotations

import pytest

from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.adjust_credits_dialog import AdjustCreditsDialog
from desk.ui.members.member_dialog import MemberDialog
from tests.ui.driving import shown, tick
from tests.ui.tab_order import tab_through


@pytest.mark.parametrize("preset", [True, False])
@pytest.mark.parametrize("expires", [True, False])
def test_add_credits(qtbot, desk_staff, gym, preset, expires):
    member = (gym["ann"], "Ann Smith") if preset else (None, "")
    dialog = shown(qtbot, AddCreditsDialog(desk_staff, *member))
    if expires:
        tick(dialog.never_expires)
        assert not dialog.never_expires.isChecked()
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert ("expiryFieldText" in expected) == expires


def test_adjust_credits(qtbot, desk_staff, gym):
    dialog = shown(qtbot, AdjustCreditsDialog(desk_staff, gym["ann"], "Ann Smith"))
    expected, visited = tab_through(dialog)
    assert visited == expected == ["appointmentTypeField", "deltaField", "reasonField"]


def test_member_dialog(qtbot, desk_staff, gym):
    member = desk_staff.services.members.get(gym["ann"])
    dialog = shown(qtbot, MemberDialog(desk_staff, member))
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert len(expected) >= 5
