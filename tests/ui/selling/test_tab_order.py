"""Tab visits every field of the selling dialogs and the catalog, in reading order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desk.ui.selling.account_entry_dialog import AccountEntryDialog
from desk.ui.selling.assign_plan_dialog import AssignPlanDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.selling.catalog_dialog import CatalogDialog
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from tests.actors import SYSTEM
from tests.ui.tab_order import tab_through


@pytest.fixture
def catalog(desk_staff, gym) -> None:
    services = desk_staff.services
    services.catalog.save_package(
        name="10 PT", appointment_type_id=gym["pt"], credits=10, price_cents=85_000,
        validity_days=365, actor=SYSTEM,
    )  # fmt: skip
    services.catalog.save_plan(
        name="Monthly PT", period="month", billing_day=1, price_cents=25_000,
        credits=[(gym["pt"], 4)], unused="roll_over", actor=SYSTEM,
    )  # fmt: skip


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_sell_package(qtbot, desk_staff, gym, catalog):
    dialog = shown(qtbot, SellPackageDialog(desk_staff, gym["bob"], "Bob Jones"))
    expected, visited = tab_through(dialog)
    assert visited == expected == ["packageField", "priceField", "paidNowField", "noteField"]


@pytest.mark.parametrize("ends", [False, True])
def test_assign_plan(qtbot, desk_staff, gym, catalog, ends):
    dialog = shown(qtbot, AssignPlanDialog(desk_staff, gym["bob"], "Bob Jones"))
    if ends:
        box = dialog.has_end
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert expected == ["planField", "startsOnFieldText", "hasEndField"] + (
        ["endsOnFieldText"] if ends else []
    )


@pytest.mark.parametrize("kind", ["payment", "credit"])
def test_account_entry(qtbot, desk_staff, gym, kind):
    dialog = shown(qtbot, AccountEntryDialog(desk_staff, gym["bob"], kind))
    expected, visited = tab_through(dialog)
    assert visited == expected == ["amountField", "noteField"]


def test_billing_run(qtbot, desk_staff, gym):
    dialog = shown(qtbot, BillingRunDialog(desk_staff))
    expected, visited = tab_through(dialog)
    assert visited == expected == ["throughFieldText"]


@pytest.mark.parametrize("tab", [0, 1])
def test_catalog(qtbot, desk_staff, gym, catalog, tab):
    dialog = shown(qtbot, CatalogDialog(desk_staff))
    bar = dialog.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tab).center())
    page = dialog.tabs.currentWidget()
    table = page.table
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, 0)).center(),
    )  # fmt: skip
    expected, visited = tab_through(dialog)
    assert visited == expected
    assert expected[0] == page.table.objectName()
    assert len(expected) >= 6
