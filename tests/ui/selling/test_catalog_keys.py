"""Enter in the catalog's form saves it; it never wipes the form for a new item."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.ui.selling.catalog_dialog import CatalogDialog


@pytest.fixture
def dialog(qtbot, desk_staff, gym) -> CatalogDialog:
    widget = CatalogDialog(desk_staff)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_enter_in_the_package_form_saves_it(dialog, desk_staff):
    page = dialog.packages
    QTest.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    QTest.keyClicks(page.name, "Five PT")
    page.price.edit.selectAll()
    QTest.keyClicks(page.price.edit, "400")
    assert page.save_button.isDefault()
    assert not page.new_button.isDefault()
    QTest.keyClick(page.price.edit, Qt.Key.Key_Return)
    desk_staff.runner.wait_idle()
    [saved] = desk_staff.services.catalog.packages()
    assert (saved.name, saved.price_cents) == ("Five PT", 40_000)
    assert page.name.text() == "Five PT"  # the form still shows it
    assert dialog.isVisible()


def test_enter_on_an_unfinished_form_keeps_what_was_typed(dialog, desk_staff):
    page = dialog.packages
    QTest.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.price.edit.selectAll()
    QTest.keyClicks(page.price.edit, "400")  # no name yet: Save is off
    QTest.keyClick(page.price.edit, Qt.Key.Key_Return)
    desk_staff.runner.wait_idle()
    assert page.price.edit.text() == "400"
    assert page.error.text() == "Give the package a name."
    assert desk_staff.services.catalog.packages() == []


def test_enter_in_the_plan_form_saves_the_plan(dialog, desk_staff, gym):
    dialog.tabs.setCurrentWidget(dialog.plans)
    page = dialog.plans
    assert page.save_button.isDefault()
    assert not dialog.packages.save_button.isDefault()
    QTest.keyClicks(page.name, "Monthly PT")
    page.price.edit.selectAll()
    QTest.keyClicks(page.price.edit, "250")
    spin = page.included[gym["pt"]]
    spin.selectAll()
    QTest.keyClicks(spin, "4")
    QTest.keyClick(page.name, Qt.Key.Key_Return)
    desk_staff.runner.wait_idle()
    [plan] = desk_staff.services.catalog.plans()
    assert (plan.name, plan.price_cents) == ("Monthly PT", 25_000)
