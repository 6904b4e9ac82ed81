"""Tab through a dialog and compare where focus goes with its fields' reading order.

The reading order is the layouts' own: a vertical box top to bottom, a horizontal box
left to right, a form row by row (label, then field), a grid by row and column, a tab
widget's current page only. ``fields(root)`` lists the inputs found that way (line
edits, spin boxes, combo boxes, check boxes, text boxes, tables) that are visible and
enabled; ``tab_through(root)`` presses Tab from the first one and records, in order,
each of them that takes the focus until focus comes back round (or "stuck at ..."
if it never does).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

INPUTS = (
    QLineEdit, QAbstractSpinBox, QComboBox, QCheckBox, QRadioButton, QPlainTextEdit, QTextEdit,
    QAbstractItemView,
)  # fmt: skip
_FORM_ROLES = (
    QFormLayout.ItemRole.LabelRole,
    QFormLayout.ItemRole.FieldRole,
    QFormLayout.ItemRole.SpanningRole,
)


def _is_input(widget: QWidget) -> bool:
    return (
        isinstance(widget, INPUTS)
        and not isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)
        and widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )


def _items(layout: QLayout) -> list[QLayoutItem]:
    if isinstance(layout, QFormLayout):
        found = []
        for row in range(layout.rowCount()):
            for role in _FORM_ROLES:
                item = layout.itemAt(row, role)
                if item is not None:
                    found.append(item)
        return found
    items = [layout.itemAt(i) for i in range(layout.count())]
    if isinstance(layout, QGridLayout):
        placed = [(layout.getItemPosition(i)[:2], i) for i in range(layout.count())]
        return [items[i] for _position, i in sorted(placed)]
    return items


def _walk_layout(layout: QLayout, into: list[QWidget]) -> None:
    for item in _items(layout):
        if item.widget() is not None:
            _walk_widget(item.widget(), into)
        elif item.layout() is not None:
            _walk_layout(item.layout(), into)


def _walk_widget(widget: QWidget, into: list[QWidget]) -> None:
    if not widget.isVisible():
        return
    if _is_input(widget):
        into.append(widget)
        return
    if isinstance(widget, QAbstractButton | QAbstractSpinBox | QComboBox):
        return
    if isinstance(widget, QTabWidget | QStackedWidget):
        page = widget.currentWidget()
        if page is not None:
            _walk_widget(page, into)
        return
    if widget.layout() is not None:
        _walk_layout(widget.layout(), into)


def fields(root: QWidget) -> list[QWidget]:
    """``root``'s visible, enabled inputs in reading order."""
    found: list[QWidget] = []
    if root.layout() is not None:
        _walk_layout(root.layout(), found)
    return found


def _name(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return widget.objectName() or widget.accessibleName() or widget.metaObject().className()


def tab_through(root: QWidget) -> tuple[list[str], list[str]]:
    """(the inputs in reading order, the inputs Tab visited in order), by name."""
    expected = fields(root)
    assert expected, "no inputs found"
    root.window().activateWindow()
    assert QTest.qWaitForWindowActive(root.window())
    expected[0].setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is expected[0], _name(QApplication.focusWidget())
    visited = [_name(expected[0])]
    seen = {id(expected[0])}
    now = expected[0]
    for _press in range(4 * len(root.findChildren(QWidget)) + 10):
        QTest.keyClick(now, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is expected[0]:
            break
        if now in expected and id(now) not in seen:
            seen.add(id(now))
            visited.append(_name(now))
    else:  # Tab never came back round: something keeps it (a table, a text box)
        visited.append(f"stuck at {_name(now)}")
    return [_name(w) for w in expected], visited
