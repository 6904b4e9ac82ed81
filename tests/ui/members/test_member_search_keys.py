"""Enter in the members search results opens the selected member, as Enter in the bar does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.ui.widgets.table_model import RowRole


def test_enter_in_the_results_table_opens_the_selected_member(shown_window, qtbot):
    window = shown_window
    window.focus_search()
    panel = window.search_panel
    QTest.keyClicks(panel.search, "example.com")  # Ann and Bob
    table = panel.results
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)  # the search throttle's last run
    first = table.visualRect(table.model().index(0, 0)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert table.hasFocus()
    QTest.keyClick(table, Qt.Key.Key_Down)
    second = table.model().index(1, 0).data(RowRole)
    assert panel.selected_member() == second
    assert window.profiles == {}
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert list(window.profiles) == [second.id]
    assert window.profiles[second.id].isVisible()
