"""Dates and times read as the desk's locale writes them (QLocale's own formats)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QPushButton

from desk.ui.calendar.calendar_view import CalendarView
from desk.ui.widgets import formatting as fmt
from desk.ui.widgets.date_field import DateField
from tests.ui.calendar.calendar_driving import settle

NY = ZoneInfo("America/New_York")
# 23:00 UTC on Tue 1 Dec 2026 is 18:00 in New York.
MOMENT = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
UK = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


@pytest.fixture
def use_locale(qapp) -> Iterator[object]:
    """Sets the desk's locale for one test and puts the earlier default back."""
    before = QLocale()

    def use(locale: QLocale) -> None:
        QLocale.setDefault(locale)

    yield use
    QLocale.setDefault(before)


def test_a_us_desk_reads_month_first_and_12_hour_times(use_locale):
    use_locale(US)
    assert fmt.format_datetime(MOMENT, NY) == "Tue, Dec 1, 2026 6:00 PM"
    assert fmt.format_weekday_date(date(2026, 12, 1)) == "Tue, Dec 1, 2026"
    assert fmt.format_date(date(2026, 4, 25)) == "Apr 25, 2026"
    assert fmt.format_time(MOMENT, NY) == "6:00 PM"
    assert fmt.format_time_range(MOMENT, MOMENT + timedelta(hours=1), NY) == (
        "6:00 PM\N{EN DASH}7:00 PM"
    )
    assert fmt.format_long_date(date(2026, 12, 2)) == "Wednesday, December 2, 2026"
    assert fmt.format_day_month(date(2026, 12, 1)) == "Dec 1"
    assert fmt.format_weekday_day_month(date(2026, 12, 1)) == "Tue, Dec 1"
    assert fmt.format_date_range(date(2026, 11, 29), date(2026, 12, 5)) == (
        "Nov 29 \N{EN DASH} Dec 5, 2026"
    )
    assert fmt.format_date_range(date(2026, 3, 1), date(2026, 3, 7)) == "Mar 1 \N{EN DASH} 7, 2026"
    assert fmt.week_start(date(2026, 12, 2)) == date(2026, 11, 29)  # a Sunday


def test_a_uk_desk_reads_day_first_and_24_hour_times(use_locale):
    use_locale(UK)
    assert fmt.format_datetime(MOMENT, NY) == "Tue 1 Dec 2026 18:00"
    assert fmt.format_weekday_date(date(2026, 12, 1)) == "Tue 1 Dec 2026"
    assert fmt.format_date(date(2026, 4, 25)) == "25 Apr 2026"
    assert fmt.format_time(MOMENT, NY) == "18:00"
    assert fmt.format_long_date(date(2026, 12, 2)) == "Wednesday, 2 December 2026"
    assert fmt.format_day_month(date(2026, 12, 1)) == "1 Dec"
    assert fmt.format_date_range(date(2026, 11, 30), date(2026, 12, 6)) == (
        "30 Nov \N{EN DASH} 6 Dec 2026"
    )
    assert fmt.format_date_range(date(2026, 3, 2), date(2026, 3, 8)) == "2 \N{EN DASH} 8 Mar 2026"
    assert fmt.format_date_range(date(2026, 12, 28), date(2027, 1, 3)) == (
        "28 Dec 2026 \N{EN DASH} 3 Jan 2027"
    )
    assert fmt.week_start(date(2026, 12, 2)) == date(2026, 11, 30)  # a Monday


def test_date_and_time_edits_take_the_locales_formats(use_locale):
    use_locale(US)
    assert fmt.date_edit_format(weekday=True) == "ddd, MMM d, yyyy"
    assert fmt.time_edit_format() == "h:mm Ap"
    use_locale(UK)
    assert fmt.date_edit_format(weekday=True) == "ddd d MMM yyyy"
    assert fmt.date_edit_format() == "d MMM yyyy"
    assert fmt.time_edit_format() == "HH:mm"


def _week_view(qtbot, ctx) -> CalendarView:
    view = CalendarView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    settle(view)
    button = view.findChild(QPushButton, "weekViewButton")
    assert button is not None
    button.click()
    settle(view)
    return view


@pytest.mark.parametrize(
    ("locale", "first", "title", "picker"),
    [
        # The tests' clock says Wednesday 4 March 2026.
        (US, date(2026, 3, 1), "Mar 1 \N{EN DASH} 7, 2026", "Wed, Mar 4, 2026"),
        (UK, date(2026, 3, 2), "2 \N{EN DASH} 8 Mar 2026", "Wed 4 Mar 2026"),
    ],
)
def test_the_week_view_starts_on_the_locales_first_day(
    use_locale, qtbot, desk_staff, locale, first, title, picker
):
    use_locale(locale)
    view = _week_view(qtbot, desk_staff)
    columns = view.canvas.columns
    assert [c.day for c in columns] == [first + timedelta(days=i) for i in range(7)]
    assert columns[0].title == ("Sun" if locale == US else "Mon")
    assert view.visible_days() == (first, first + timedelta(days=6))
    assert title in view.widgets.title.text()
    edit = view.findChild(DateField, "calendarDate")
    assert edit is not None
    assert edit.edit.text() == picker
