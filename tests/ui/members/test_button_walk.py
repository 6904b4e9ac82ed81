"""Every button of the profile (each tab) and of the credit dialogs does something visible."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from desk.services.core.ids import MemberId
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.adjust_credits_dialog import AdjustCreditsDialog
from desk.ui.members.member_profile import MemberProfile
from tests.actors import SYSTEM
from tests.ui.button_walk import walk_buttons
from tests.ui.driving import click_row, click_tab, shown


@pytest.mark.parametrize("tab", [0, 1, 2])
def test_every_profile_button_on_each_tab(profile, desk_staff, message_boxes, tab):
    v = profile.view
    click_tab(v.tabs, tab)
    if tab == 0:
        click_row(v.lots)  # Void sale needs a lot
        click_row(v.balances)
    walk = walk_buttons(profile, settle=desk_staff.runner.wait_idle, messages=message_boxes)
    assert walk.no_effect == []
    assert {
        "editMemberButton", "archiveMemberButton", "sellPackageButton", "assignPlanButton",
        "addCreditsButton", "adjustCreditsButton", "bookSessionButton",
    } <= set(walk.clicked)  # fmt: skip
    on_tab = {
        0: {"voidLotButton", "showExpired"},
        1: set(),
        2: {"recordPaymentButton", "addAccountCreditButton"},
    }[tab]
    assert on_tab <= set(walk.clicked)


def test_every_add_credits_button(qtbot, desk_staff, gym, message_boxes):
    dialog = shown(qtbot, AddCreditsDialog(desk_staff, gym["ann"], "Ann Smith"))
    walk = walk_buttons(
        dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes, last=["addButton"]
    )
    assert walk.no_effect == []
    assert {
        "neverExpires",
        "expiry30",
        "expiry90",
        "expiry365",
        "useListPrice",
        "addButton",
    } <= set(walk.clicked)


def test_every_adjust_credits_button(qtbot, desk_staff, gym, message_boxes):
    dialog = shown(qtbot, AdjustCreditsDialog(desk_staff, gym["ann"], "Ann Smith"))
    QTest.keyClicks(dialog.delta, "2")
    QTest.keyClicks(dialog.reason, "found a paper card")
    walk = walk_buttons(
        dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes, last=["adjustButton"]
    )
    assert walk.no_effect == []
    assert "adjustButton" in walk.clicked


def test_the_archived_profile_s_reactivate_button(qtbot, desk_staff, gym, message_boxes):
    desk_staff.services.members.archive(MemberId(gym["bob"]), actor=SYSTEM)
    profile = shown(qtbot, MemberProfile(desk_staff, gym["bob"]))
    desk_staff.runner.wait_idle()
    assert profile.view.archive_button.text() == "Reactivate"
    walk = walk_buttons(profile, settle=desk_staff.runner.wait_idle, messages=message_boxes)
    assert walk.no_effect == []
    assert "archiveMemberButton" in walk.clicked
    assert desk_staff.services.members.get(gym["bob"]).status.value == "active"


def test_add_credits_with_no_appointment_types_yet(qtbot, ctx, message_boxes):
    member = ctx.services.members.create(first_name="New", last_name="Gym", actor=SYSTEM).value
    dialog = shown(qtbot, AddCreditsDialog(ctx, member.id, member.full_name))
    walk = walk_buttons(dialog, settle=ctx.runner.wait_idle, messages=message_boxes)
    assert walk.no_effect == []
    assert "createTypeButton" in walk.clicked


def test_every_button_of_a_profile_on_hold_and_sharing_a_pool(
    qtbot, desk_staff, gym, message_boxes
):
    from datetime import timedelta

    from desk.services.core.clock import today

    services = desk_staff.services
    services.pools.create("Smith family", [MemberId(gym["ann"]), MemberId(gym["bob"])],
                          actor=SYSTEM)  # fmt: skip
    start = today(services.clock) + timedelta(days=30)  # after Ann's booked sessions
    services.holds.place_hold(
        MemberId(gym["ann"]), starts_on=start, ends_on=start + timedelta(days=6),
        reason="trip", actor=SYSTEM,
    )  # fmt: skip
    profile = shown(qtbot, MemberProfile(desk_staff, gym["ann"]))
    desk_staff.runner.wait_idle()
    walk = walk_buttons(profile, settle=desk_staff.runner.wait_idle, messages=message_boxes,
                        last=["leavePoolButton", "dissolvePoolButton"])  # fmt: skip
    assert walk.no_effect == []
    assert {
        "placeHoldAction", "endHoldAction", "shareCreditsButton", "leavePoolButton",
    } <= set(walk.clicked)  # fmt: skip
