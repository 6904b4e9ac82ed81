"""Selling a package for the shared pool, through the Sell dialog's widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desk.services.core.ids import MemberId
from desk.ui.selling.sell_package_dialog import SellPackageDialog
from tests.actors import SYSTEM


def test_a_package_sold_for_the_pool_is_the_pools(qtbot, desk_staff, gym, catalog):
    services = desk_staff.services
    alone = SellPackageDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(alone)
    assert not alone.for_pool.isVisibleTo(alone)  # Bob shares with nobody yet
    pool = services.pools.create("Jones family", [MemberId(gym["bob"])], actor=SYSTEM).value
    dialog = SellPackageDialog(desk_staff, gym["bob"], "Bob Jones")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.for_pool.isVisible()
    assert "Jones family" in dialog.for_pool.text()
    qtbot.mouseClick(dialog.for_pool, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.sell_button, Qt.MouseButton.LeftButton)
    desk_staff.runner.wait_idle()
    assert services.credits.lots(MemberId(gym["bob"])) == []  # not Bob's own
    [row] = services.pools.pool(pool.id).balances
    assert (row.granted, row.open) == (10, 10)
