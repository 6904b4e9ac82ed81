"""Click every button of a screen and check that each one visibly does something.

``walk_buttons(root, ...)`` finds every visible, enabled QAbstractButton under ``root``
(push buttons, tool buttons, check boxes, a toolbar's action buttons), clicks it with
the mouse, and compares what is on screen before and after: a dialog or a message that
opened (closed again at once), a popup, a window that closed, or a change in any
visible label, field, table, tab, check mark or status bar. Buttons that appear while
it walks (the clear button of a field once it has text, a button on a page a click
showed) are clicked too, so a new button can't slip by. It returns the buttons that
did nothing visible; a screen's test asserts that list is empty.

Modal dialogs, including Qt's own (QMessageBox.question, QFileDialog.getOpenFileName),
are closed by a zero-interval timer that runs inside their event loop: it rejects
whatever modal widget is up, which is what Esc does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QRadioButton,
    QTabWidget,
    QToolButton,
    QWidget,
)

MAX_CELLS = 400


def button_name(button: QAbstractButton) -> str:
    """How a report names a button: its object name, its action's, or its text."""
    if isinstance(button, QToolButton) and button.defaultAction() is not None:
        action = button.defaultAction()
        return action.objectName() or action.text()
    return button.objectName() or button.text() or button.accessibleName() or repr(button)


def _model_state(view: QAbstractItemView) -> tuple[Any, ...]:
    model = view.model()
    if model is None:
        return ()
    rows, columns = model.rowCount(), model.columnCount()
    cells = tuple(
        model.index(r, c).data()
        for r in range(rows)
        for c in range(columns)
        if r * columns + c < MAX_CELLS
    )
    selection = view.selectionModel()
    selected = tuple(sorted(i.row() for i in selection.selectedRows())) if selection else ()
    return rows, columns, cells, selected


def _widget_state(widget: QWidget) -> tuple[Any, ...]:
    shown = widget.isVisible()
    if not shown:
        return (False,)  # what a hidden page holds is not on screen
    if isinstance(widget, QLabel):
        return shown, widget.text()
    if isinstance(widget, QLineEdit):
        return shown, widget.text(), widget.styleSheet()
    if isinstance(widget, QAbstractSpinBox):
        return shown, widget.text()
    if isinstance(widget, QComboBox):
        return shown, widget.currentText(), widget.count()
    if isinstance(widget, QPlainTextEdit):
        return shown, widget.toPlainText()
    if isinstance(widget, QAbstractButton):
        return shown, widget.text(), widget.isChecked(), widget.isEnabled()
    if isinstance(widget, QAbstractItemView):
        return shown, _model_state(widget)
    if isinstance(widget, QTabWidget):
        return shown, widget.currentIndex()
    if isinstance(widget, QMainWindow):
        return shown, widget.statusBar().currentMessage(), widget.windowTitle()
    return (shown,)


def screen_state(root: QWidget) -> list[tuple[Any, ...]]:
    """What a person sees of ``root``'s window: every widget's visible state, in order."""
    window = root.window()
    return [
        (window.isVisible(), window.windowTitle()),
        *(_widget_state(w) for w in [window, *window.findChildren(QWidget)]),
    ]


def _open_windows() -> set[int]:
    return {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}


@dataclass
class ModalCloser:
    """While running, rejects any modal dialog or popup that opens and notes its title."""

    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._close)

    def _close(self) -> None:
        for widget in (QApplication.activeModalWidget(), QApplication.activePopupWidget()):
            if widget is None:
                continue
            self.seen.append(widget.windowTitle() or widget.objectName() or repr(widget))
            if isinstance(widget, QDialog):
                widget.reject()
            else:
                widget.close()

    def __enter__(self) -> ModalCloser:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.stop()


@dataclass
class Walk:
    """What one walk did: the names clicked and those that changed nothing visible."""

    clicked: list[str] = field(default_factory=list)
    no_effect: list[str] = field(default_factory=list)


def _act(
    press: Callable[[], None],
    root: QWidget,
    *,
    settle: Callable[[], None],
    messages: Sequence[str],
) -> bool:
    """Run ``press``; True if anything visible happened (then put the screen back up)."""
    before = screen_state(root)
    windows = _open_windows()
    told = len(messages)
    with ModalCloser() as closer:
        press()
        settle()
        QApplication.processEvents()
        closer._close()  # a popup or window-modal box opened without a nested loop
    new_windows = [
        w for w in QApplication.topLevelWidgets() if w.isVisible() and id(w) not in windows
    ]
    effect = (
        bool(closer.seen)
        or bool(new_windows)
        or len(messages) > told
        or screen_state(root) != before
    )
    for window in new_windows:
        window.close()
    if not root.window().isVisible():  # a Cancel or Close: the screen comes back
        root.window().show()
    settle()
    return effect


def _hit_point(button: QAbstractButton) -> QPoint:
    """Where a person clicks: the middle, but a check box's box (a wide check box
    ignores clicks past its text)."""
    middle = button.rect().center()
    if isinstance(button, QCheckBox | QRadioButton):
        return QPoint(min(8, middle.x()), middle.y())
    return middle


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    """The enabled buttons of ``root`` a person can see now, in creation order."""
    found = [root] if isinstance(root, QAbstractButton) else []
    found += root.findChildren(QAbstractButton)
    return [b for b in found if b.isVisibleTo(root.window()) and b.isVisible() and b.isEnabled()]


def walk_buttons(
    root: QWidget,
    *,
    settle: Callable[[], None],
    messages: Sequence[str],
    last: Iterable[str] = (),
    roots: Callable[[], Iterable[QWidget]] | None = None,
) -> Walk:
    """Click every visible, enabled button under ``root`` (and, if given, under each of
    ``roots()``, e.g. the toolbar) once, ``last`` named ones at the end.

    ``settle`` waits for the work a click started (the runner going idle);
    ``messages`` is the list the message-box fixture records into.
    """
    walk = Walk()
    done: set[int] = set()
    ending = list(last)
    for _round in range(50):
        candidates: list[QAbstractButton] = []
        for where in [root, *(roots() if roots else ())]:
            candidates += visible_buttons(where)
        todo = [b for b in candidates if id(b) not in done]
        todo.sort(key=lambda b: ending.index(button_name(b)) if button_name(b) in ending else -1)
        if not todo:
            return walk
        button = todo[0]
        done.add(id(button))
        name = button_name(button)
        walk.clicked.append(name)
        if not _act(
            lambda b=button: QTest.mouseClick(b, Qt.MouseButton.LeftButton, pos=_hit_point(b)),
            root,
            settle=settle,
            messages=messages,
        ):
            walk.no_effect.append(name)
    raise AssertionError(f"buttons kept appearing; clicked {walk.clicked}")


def menu_actions(window: QMainWindow) -> list[QAction]:
    """Every enabled item of the window's menus, menu by menu (separators skipped)."""
    actions: list[QAction] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            actions += [a for a in menu.actions() if not a.isSeparator() and a.isEnabled()]
    return list(dict.fromkeys(actions))  # an action in two menus is tried once


def walk_menu_actions(
    window: QMainWindow,
    *,
    settle: Callable[[], None],
    messages: Sequence[str],
    last: Iterable[str] = (),
) -> Walk:
    """Trigger every menu item as the walk above, ``last`` named ones at the end."""
    walk = Walk()
    ending = list(last)
    actions = menu_actions(window)
    actions.sort(key=lambda a: ending.index(a.objectName()) if a.objectName() in ending else -1)
    for action in actions:
        name = action.objectName() or action.text()
        if not action.isEnabled():
            continue
        walk.clicked.append(name)
        if not _act(action.trigger, window, settle=settle, messages=messages):
            walk.no_effect.append(name)
    return walk
