"""The week view with group sessions, at 100,000 members (pytest-qt, offscreen).

A copy of the benchmark database gets a week (four weeks after BUSY_MONDAY) of
1,000 sessions across ten coaches, 200 of them groups of 4 to 8 members (about
2,000 appointments): the calendar folds each group into one block ("6/8"). Three
numbers, each a median of 15 rounds:

- ``paint``: the week view, already loaded, painted again (what a scroll, a resize
  or a selection costs): the visible part of the canvas, its header and the panel;
- ``navigate_and_paint``: going to the week: fetch on the read worker, fold the
  groups, lay out and paint;
- ``floor``: bare Qt drawing 1,000 filled rectangles with a line of text each on a
  widget the size of the calendar's visible grid, the least a paint of the week's
  1,000 blocks can cost.

The target (issue 17) is under 60 ms median for the paint.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget
from sqlalchemy import select, update

from desk.db import Database
from desk.models import Appointment, AppointmentType, CreditEntry, CreditLot
from desk.services.container import Services
from desk.services.records.demo import _bulk_insert
from desk.ui.calendar.calendar_view import CalendarView
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.context import DeskContext
from tests.benchmarks import data

GROUP_MONDAY = data.BUSY_MONDAY + timedelta(days=28)
SESSIONS = 1_000
GROUPS = 200
COACHES = 10


def _add_group_week(db: Database) -> tuple[int, int]:
    """The week's rows, written straight in (like data.py): (sessions, appointments)."""
    rng = random.Random(17)
    with db.write() as session:
        types = list(session.scalars(select(AppointmentType.id).order_by(AppointmentType.id)))
        solo, group = types[0], types[1]
        session.execute(
            update(AppointmentType).where(AppointmentType.id == group).values(capacity=8)
        )
        coaches = [data._coach(session, f"Group Week Coach {i + 1:02d}") for i in range(COACHES)]
        lot_id = session.scalar(select(CreditLot.id).order_by(CreditLot.id.desc()).limit(1)) or 0
        entry_id = session.scalar(select(CreditEntry.id).order_by(CreditEntry.id.desc()).limit(1))
        appt_id = session.scalar(select(Appointment.id).order_by(Appointment.id.desc()).limit(1))
        entry_id, appt_id = entry_id or 0, appt_id or 0
        slots = [(day, hour, coach) for day in range(7) for hour in range(16) for coach in coaches]
        group_slots = set(rng.sample(range(SESSIONS), GROUPS))
        lots, appts, entries = [], [], []
        for n, (day, hour, coach) in enumerate(slots[:SESSIONS]):
            local = datetime.combine(GROUP_MONDAY + timedelta(days=day), datetime.min.time())
            start = local.replace(hour=6 + hour, tzinfo=data.GYM_TZ).astimezone(UTC)
            size = rng.randint(4, 8) if n in group_slots else 1
            kind = group if n in group_slots else solo
            for member in rng.sample(range(1, 90_000), size):
                lot_id += 1
                entry_id += 1
                appt_id += 1
                lots.append(data._lot(lot_id, member, kind, 1, 0))
                entries.append(data._entry(entry_id, lot_id, "grant", 1, data.NOW, None))
                appts.append(data._appt(appt_id, member, kind, coach, start, "booked", lot_id))
                entry_id += 1
                entries.append(data._entry(entry_id, lot_id, "book", -1, data.NOW, appt_id))
        for model, rows in ((CreditLot, lots), (Appointment, appts), (CreditEntry, entries)):
            _bulk_insert(session, model, rows)
    return SESSIONS, len(appts)


@pytest.fixture(scope="module")
def group_services(
    bench_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Services]:
    db = data.open_copy(bench_file, tmp_path_factory.mktemp("groups") / "groups.sqlite3")
    _add_group_week(db)
    yield Services.build(db, data.clock())
    db.dispose()


@pytest.fixture
def view(group_services: Services, qtbot) -> CalendarView:
    ctx = DeskContext(services=group_services, hub=ChangeHub())
    widget = CalendarView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1440, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_week(GROUP_MONDAY)
    ctx.runner.wait_idle()
    return widget


def _blocks_in_week(view: CalendarView) -> int:
    return len(view.canvas.blocks)


def test_group_week_paint(benchmark, view: CalendarView) -> None:
    assert _blocks_in_week(view) == SESSIONS
    groups = {id(g) for g in view._groups.values()}
    assert len(groups) == GROUPS
    benchmark.pedantic(lambda: view.grab().width(), rounds=15, warmup_rounds=2)
    benchmark.extra_info["blocks"] = _blocks_in_week(view)


def test_group_week_navigate_and_paint(benchmark, view: CalendarView) -> None:
    ctx = view._ctx

    def elsewhere():
        view.show_week(GROUP_MONDAY + timedelta(days=7))
        ctx.runner.wait_idle()
        return (), {}

    def navigate_and_paint() -> int:
        view.show_week(GROUP_MONDAY)
        ctx.runner.wait_idle()
        return view.grab().width()

    benchmark.pedantic(navigate_and_paint, setup=elsewhere, rounds=15, warmup_rounds=1)
    assert _blocks_in_week(view) == SESSIONS


class _Floor(QWidget):
    """1,000 rectangles with a line of text: bare Qt, no layout, no data."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        width, height = self.width() / 70, self.height() / 16
        fill = QColor("#dbeafe")
        for n in range(SESSIONS):
            column, row = divmod(n, 16)
            rect = QRectF(column * width, row * height, width - 1, height - 1)
            painter.fillRect(rect, fill)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, "6/8 Ann, Bob")
        painter.end()


def test_group_week_paint_floor(benchmark, view: CalendarView, qtbot) -> None:
    floor = _Floor()
    qtbot.addWidget(floor)
    floor.resize(view.widgets.scroll_area.viewport().size())
    floor.show()
    benchmark.pedantic(lambda: floor.grab().width(), rounds=15, warmup_rounds=2)
