"""Small mouse moves many UI tests make: a row, a tab, a check box, by the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from tests.ui.record_lists import shown

__all__ = ["answer_box", "click_row", "click_tab", "shown", "tick"]


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


def answer_box(owner: QWidget, name: str, button: QMessageBox.StandardButton) -> str:
    """Click ``button`` on the open message box ``name`` that ``owner`` asked; its text.

    The box must be showing (an opened, not an exec'd, QMessageBox): a test that
    finds none fails here rather than passing without the question being asked.
    """
    box = owner.findChild(QMessageBox, name)
    assert box is not None, f"no {name} question was asked"
    assert box.isVisible(), f"the {name} question is not showing"
    text = box.text()
    QTest.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    return text
