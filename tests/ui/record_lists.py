"""Driving a settings dialog that lists records beside a form (appointment types, staff)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QWidget


def shown(qtbot, dlg: QWidget) -> QWidget:
    """``dlg`` on screen, closed and deleted when the test ends."""
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def child(dlg: QWidget, kind: type, name: str):
    widget = dlg.findChild(kind, name)
    assert widget is not None, name
    assert widget.accessibleName(), f"{name} has no accessible name"
    return widget


def click_row(qtbot, dlg: QWidget, table: str, name: str, name_column: int = 0) -> None:
    """Click the row of the table named ``table`` whose name column shows ``name``."""
    view = child(dlg, QTableView, table)
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, name_column)
        if index.data() == name:
            view.scrollTo(index)
            qtbot.mouseClick(
                view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
            )
            return
    raise AssertionError(f"{name!r} is not in the table")
