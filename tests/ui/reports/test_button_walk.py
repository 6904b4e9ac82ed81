"""Every button of the Reports page, for each report, does something visible: the
date fields' calendars open, Export CSV, Save as PDF and Print ask where."""

from __future__ import annotations

import pytest

from desk.services.reports.service import REPORT_TITLES
from tests.ui.button_walk import walk_buttons
from tests.ui.reports.test_reports_page import _choose


@pytest.mark.parametrize("title", list(REPORT_TITLES.values()))
def test_every_reports_page_button(window, desk_staff, message_boxes, title):
    page = window.reports
    _choose(page, desk_staff, title)
    walk = walk_buttons(page, settle=desk_staff.runner.wait_idle, messages=message_boxes)
    assert walk.no_effect == []
    assert {"exportCsv", "savePdf", "printReport"} <= set(walk.clicked)
    dates = {"fromDateCalendar", "toDateCalendar"} if page.first.isVisible() else {
        "asOfDateCalendar"}  # fmt: skip
    assert dates <= set(walk.clicked)
