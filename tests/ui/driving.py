"""Small mouse moves many UI tests make: a row, a tab, a check box, by the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QTabWidget

from tests.ui.record_lists import shown

__all__ = ["click_row", "click_tab", "shown", "tick"]


def click_row(view: QAbstractItemView, row: int = 0) -> None:
    """Click the first cell of ``row``."""
    index = view.model().index(row, 0)
    view.scrollTo(index)
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def click_tab(tabs: QTabWidget, index: int) -> None:
    """Click the tab at ``index`` and let its page lay itself out."""
    bar = tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index
    QApplication.processEvents()


def tick(box: QAbstractButton) -> None:
    """Click a check box on its box (a wide check box ignores clicks past its text)."""
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
