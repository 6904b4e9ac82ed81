"""The calendar screen, shown and loaded, for the tests of this folder."""

from __future__ import annotations

import pytest

from desk.ui.calendar.calendar_view import CalendarView
from tests.ui.calendar.calendar_driving import settle


@pytest.fixture
def view(qtbot, desk_staff) -> CalendarView:
    widget = CalendarView(desk_staff)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    settle(widget)
    return widget
