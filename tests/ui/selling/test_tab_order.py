"""Tab visits every field of the selling dialogs and the catalog, in reading order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.ui.selling.account_entry_dialog import AccountEntryDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.selling.catalog_dialog import CatalogDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from tests.ui.driving import click_row, click_tab, shown, tick
from tests.ui.tab_order import tab_through


def test_sell_package(qtbot, desk_staff, gym, catalog):
    dialog = shown(qtbot, SellPackageDialog(desk_staff, gym["bob"], "Bob Jones"))
    expected, visited = tab_through(dialog)
    assert visited == expected == [
        "packageField", "priceField", "paidNowField", "methodField", "noteField",
    ]  # fmt: skip


@pytest.mark.parametrize("ends", [False, True])
def test_assign_plan(qtbot, desk_staff, gym, catalog, ends):
    dialog = shown(qtbot, AssignPlanDialog(desk_staff, gym["bob"], "Bob Jones"))
    if ends:
        tick(dialog.has_end)
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert expected == ["planField", "startsOnFieldText", "hasEndField"] + (
        ["endsOnFieldText"] if ends else []
    )


@pytest.mark.parametrize("kind", ["payment", "credit"])
def test_account_entry(qtbot, desk_staff, gym, kind):
    dialog = shown(qtbot, AccountEntryDialog(desk_staff, gym["bob"], kind))
    expected, visited = tab_through(dialog)
    method = ["methodField"] if kind == "payment" else []
    assert visited == expected == ["amountField", *method, "noteField"]


def test_billing_run(qtbot, desk_staff, gym):
    dialog = shown(qtbot, BillingRunDialog(desk_staff))
    expected, visited = tab_through(dialog)
    assert visited == expected == ["throughFieldText"]


@pytest.mark.parametrize("tab", [0, 1])
def test_catalog(qtbot, desk_staff, gym, catalog, tab):
    dialog = shown(qtbot, CatalogDialog(desk_staff))
    click_tab(dialog.tabs, tab)
    page = dialog.tabs.currentWidget()
    click_row(page.table)
    if page is dialog.plans:  # rolling over shows the cap's row too
        page.unused.setFocus()
        QTest.keyClick(page.unused, Qt.Key.Key_Down)
        assert page.cap.isVisible()
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert expected[0] == page.table.objectName()
    assert len(expected) >= 6
