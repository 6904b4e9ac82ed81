"""The Today page uses the width: Member stretches, the filter shows its whole hint."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView

from desk.ui.today.today_screen import TodayScreen
from desk.ui.today.today_table_model import COL_MEMBER


def test_member_column_stretches_and_the_others_fit(qtbot, desk_staff, day):
    page = TodayScreen(desk_staff)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitExposed(page)
    desk_staff.runner.wait_idle()
    header = page.view.table.horizontalHeader()
    assert header.count() >= 5
    for column in range(header.count()):
        expected = (
            QHeaderView.ResizeMode.Stretch
            if column == COL_MEMBER
            else QHeaderView.ResizeMode.ResizeToContents
        )
        assert header.sectionResizeMode(column) == expected
    assert not header.stretchLastSection()
    # The columns fill the table: nothing is left blank at the right.
    assert header.length() == header.viewport().width()


def test_the_filter_placeholder_fits(qtbot, desk_staff, day):
    page = TodayScreen(desk_staff)
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    qtbot.waitExposed(page)
    field = page.view.filter
    text_width = field.fontMetrics().horizontalAdvance(field.placeholderText())
    assert text_width <= field.width()
    assert text_width <= field.minimumWidth()
