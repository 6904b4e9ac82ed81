"""A package valid from first use, made in the catalog dialog (issue 18, item 6)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.ui.selling.catalog_dialog import CatalogDialog


def test_the_catalog_saves_a_package_valid_from_first_use(qtbot, desk_staff, gym):
    dialog = CatalogDialog(desk_staff)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.packages
    page.start_new()
    qtbot.keyClicks(page.name, "10 PT, 30 days from first use")
    page.price.edit.setText("$500.00")
    page.validity.selectAll()
    QTest.keyClicks(page.validity, "30")
    assert page.validity.value() == 30
    qtbot.mouseClick(page.first_use, Qt.MouseButton.LeftButton)
    assert page.first_use.isChecked()
    with qtbot.waitSignal(desk_staff.hub.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        desk_staff.runner.wait_idle()
    [saved] = desk_staff.services.catalog.packages()
    assert (saved.validity_days, saved.first_use_days) == (None, 30)
    valid_for = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert "30 days from first use" in valid_for
    # No expiry at all: nothing to count from first use.
    page.validity.selectAll()
    QTest.keyClick(page.validity, Qt.Key.Key_Delete)
    QTest.keyClicks(page.validity, "0")
    assert not page.first_use.isEnabled()
