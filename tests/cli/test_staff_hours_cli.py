"""`desk staff hours` and `desk staff off`, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.ids import StaffId
from desk.services.people.availability_views import WeeklyRange
from tests.cli.test_staff_cli import run


def _hours(url_: str):
    db = open_database(url_)
    try:
        services = Services.build(db)
        (kim,) = services.staff.list()
        return services.availability.hours(StaffId(kim.id))
    finally:
        db.dispose()


def test_hours_are_set_shown_and_cleared(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, _ = run(capsys, "staff", "hours", "Kim Alvarez", "--database", url)
    assert (code, out) == (0, "Kim Alvarez keeps no weekly hours: available any time.\n")
    code, out, err = run(capsys, "staff", "hours", "Kim Alvarez", "--set", "tue=9-13,14:00-18",
                         "--set", "Thursday=7:30-12", "--database", url)  # fmt: skip
    assert code == 0, err
    assert "Tuesday    09:00-13:00, 14:00-18:00\n" in out
    assert "Thursday   07:30-12:00\n" in out
    assert "Monday     off\n" in out
    assert _hours(url).weekly == (
        WeeklyRange(1, 540, 780), WeeklyRange(1, 840, 1080), WeeklyRange(3, 450, 720),
    )  # fmt: skip
    code, _, err = run(capsys, "staff", "hours", "Kim Alvarez", "--set", "tue=13-9",
                       "--database", url)  # fmt: skip
    assert code != 0
    assert "end after it starts" in err
    code, _, _ = run(capsys, "staff", "hours", "Kim Alvarez", "--clear", "--database", url)
    assert code == 0
    assert not _hours(url).keeps_hours


def test_time_off_by_days_and_by_hours(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, err = run(capsys, "staff", "off", "Kim Alvarez", "2026-03-03", "2026-03-07",
                         "--note", "Holiday", "--database", url)  # fmt: skip
    assert (code, out) == (0, "Kim Alvarez is off 3-7 Mar.\n"), err
    code, out, _ = run(capsys, "staff", "off", "Kim Alvarez", "2026-03-12", "--hours", "14-17",
                       "--database", url)  # fmt: skip
    assert out == "Kim Alvarez is off 14:00-17:00 on 12 Mar.\n"
    spans = [(e.starts_local, e.ends_local, e.note) for e in _hours(url).exceptions]
    assert spans == [
        (datetime(2026, 3, 3), datetime(2026, 3, 8), "Holiday"),
        (datetime(2026, 3, 12, 14), datetime(2026, 3, 12, 17), ""),
    ]
    code, _, err = run(capsys, "staff", "off", "Kim Alvarez", "2026-03-12", "--hours", "2pm",
                       "--database", url)  # fmt: skip
    assert code != 0
    assert "not a range" in err
