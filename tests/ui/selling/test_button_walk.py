"""Every button of the selling dialogs and the catalog does something visible."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from desk.ui.selling.account_entry_dialog import AccountEntryDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.selling.catalog_dialog import CatalogDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from tests.ui.button_walk import walk_buttons
from tests.ui.driving import click_row, click_tab, shown


def test_every_sell_package_button(qtbot, desk_staff, gym, catalog, message_boxes):
    dialog = shown(qtbot, SellPackageDialog(desk_staff, gym["bob"], "Bob Jones"))
    walk = walk_buttons(
        dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes, last=["sellButton"]
    )
    assert walk.no_effect == []
    assert {"paidNowField", "sellButton"} <= set(walk.clicked)


def test_every_assign_plan_button(qtbot, desk_staff, gym, catalog, message_boxes):
    dialog = shown(qtbot, AssignPlanDialog(desk_staff, gym["bob"], "Bob Jones"))
    walk = walk_buttons(
        dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes, last=["assignButton"]
    )
    assert walk.no_effect == []
    assert {"hasEndField", "startsOnFieldCalendar", "assignButton"} <= set(walk.clicked)


@pytest.mark.parametrize("kind", ["payment", "credit"])
def test_every_account_entry_button(qtbot, desk_staff, gym, message_boxes, kind):
    dialog = shown(qtbot, AccountEntryDialog(desk_staff, gym["bob"], kind))
    QTest.keyClicks(dialog.amount.edit, "20")
    QTest.keyClicks(dialog.note, "cash")
    walk = walk_buttons(
        dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes,
        last=["saveEntryButton"],
    )  # fmt: skip
    assert walk.no_effect == []
    assert "saveEntryButton" in walk.clicked


def test_every_billing_run_button(qtbot, desk_staff, gym, catalog, message_boxes):
    dialog = shown(qtbot, BillingRunDialog(desk_staff))
    walk = walk_buttons(dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes)
    assert walk.no_effect == []
    assert {"runBillingButton", "throughFieldCalendar"} <= set(walk.clicked)


@pytest.mark.parametrize("tab", [0, 1])
def test_every_catalog_button(qtbot, desk_staff, gym, catalog, message_boxes, tab):
    dialog = shown(qtbot, CatalogDialog(desk_staff))
    click_tab(dialog.tabs, tab)
    page = dialog.tabs.currentWidget()
    click_row(page.table)
    QTest.keyClicks(page.name, " (edited)")  # Save has something to save
    # New empties the form (Save then has nothing to save): it goes last.
    walk = walk_buttons(
        dialog, settle=desk_staff.runner.wait_idle, messages=message_boxes,
        last=["newPackageButton", "newPlanButton"],
    )  # fmt: skip
    assert walk.no_effect == []
    names = {0: {"newPackageButton", "savePackageButton", "packageActiveField"},
             1: {"newPlanButton", "savePlanButton", "planActiveField"}}[tab]  # fmt: skip
    assert names <= set(walk.clicked)
