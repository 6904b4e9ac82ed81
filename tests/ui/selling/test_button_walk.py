"""Every button of the selling dialogs and the catalog does something visible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.ui.selling.account_entry_dialog import AccountEntryDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.selling.catalog_dialog import CatalogDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from tests.actors import SYSTEM
from tests.ui.button_walk import walk_buttons


@pytest.fixture
def catalog(desk_staff, gym) -> None:
    services = desk_staff.services
    services.catalog.save_package(
        name="10 PT", appointment_type_id=gym["pt"], credits=10, price_cents=85_000,
        validity_days=365, actor=SYSTEM,
    )  # fmt: skip
    services.catalog.save_plan(
        name="Monthly PT", period="month", billing_day=1, price_cents=25_000,
        credits=[(gym["pt"], 4)], actor=SYSTEM,
    )  # fmt: skip


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


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
    bar = dialog.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tab).center())
    page = dialog.tabs.currentWidget()
    table = page.table
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, 0)).center(),
    )  # fmt: skip
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
