"""Moving a gym in through the wizard: 800 members, 1,200 credit rows from a cp1252,
semicolon-separated, day-first file, from File > Import… to the summary.

The issue's targets: under 10 s of machine time and at most 8 clicks when nothing
needs fixing. The clicks are the real ones a person makes (the File menu, its
Import… item, Next, Next, Next past the Types page, Import), each a
QTest.mouseClick on the widget; typing the file's path is keys, not clicks. The
floor, measured in the same process on an
identical database: the same two service calls the wizard makes (the preview's dry
run, then the import) with no widgets in between. Run with
``python -m pytest tests/benchmarks/test_import_wizard.py --benchmark-only -s``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWizard
from sqlalchemy import func, insert, select

from desk.db import Database, open_database
from desk.models import AppointmentType, CreditLot, Member
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.ids import StaffId
from desk.services.credits.lot_value import value_of_credits
from desk.services.importing.report import ImportOptions
from desk.ui.files.import_wizard import ImportWizard
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.context import DeskContext
from desk.ui.shell.main_window import MainWindow
from tests.actors import SYSTEM

MEMBERS = 800
ROWS = 1_200
TYPES = ("Personal Training 60", "Sports Massage", "Small Group PT")
NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
GYM_TZ = ZoneInfo("America/New_York")
TARGET_SECONDS = 10.0
TARGET_CLICKS = 8
results: dict[str, float] = {}


def _row(n: int) -> tuple[int, str, int, int, date, int]:
    """(member, type, remaining, bought, expiry, price in cents) of row ``n``."""
    bought = 5 + n % 16
    return (n % MEMBERS, TYPES[n % 3], 1 + n % bought, bought,
            date(2027, 1 + n % 12, 1 + n % 28), 4_000 + (n % 30) * 1_250)  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """800 members (accented names, emails), three types and an admin."""
    path = tmp_path_factory.mktemp("import-wizard") / "template.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.write() as session:
        for name in TYPES:
            session.add(
                AppointmentType(
                    name=name, duration_minutes=60, color="#3b82f6", default_price_cents=8500,
                    currency="USD", late_cancel_hours=24, active=True,
                )
            )  # fmt: skip
        session.execute(
            insert(Member),
            [
                {
                    "first_name": f"Zoë{n}", "last_name": f"Müller{n}",
                    "email": f"member{n}@example.com", "phone": None, "phone_digits": None,
                    "notes": "", "status": "active", "external_id": None,
                    "created_at": NOW, "updated_at": NOW,
                }
                for n in range(MEMBERS)
            ],
        )  # fmt: skip
    Services.build(db, FixedClock(NOW, GYM_TZ)).staff.create(
        name="Bench Admin", role="admin", actor=SYSTEM
    )
    db.dispose()
    return path


@pytest.fixture(scope="module")
def credits_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TeamUp-like: cp1252, semicolons, day-first dates, "Last, First" names, £ prices."""
    lines = ["Customer Name;Email;Pass;Remaining;Total Sessions;Expires;Price Paid"]
    for n in range(ROWS):
        member, kind, left, bought, expires, price = _row(n)
        lines.append(
            f'"Müller{member}, Zoë{member}";member{member}@example.com;{kind};{left};{bought};'
            f"{expires:%d/%m/%Y};£{price // 100:,}.{price % 100:02d}"
        )
    path = tmp_path_factory.mktemp("import-wizard-file") / "teamup-passes.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.fixture
def fresh() -> Iterator[list[Database]]:
    opened: list[Database] = []
    yield opened
    for db in opened:
        db.dispose()


def copy_of(template: Path, folder: Path, opened: list[Database]) -> Database:
    target = folder / f"round-{len(opened)}.sqlite3"
    shutil.copyfile(template, target)
    db = open_database(f"sqlite:///{target}")
    opened.append(db)
    return db


def expected_value() -> int:
    return sum(
        value_of_credits(p, bought, left) for _m, _k, left, bought, _e, p in map(_row, range(ROWS))
    )


def imported_value(db: Database) -> tuple[int, int]:
    with db.read() as session:
        lots = session.scalar(select(func.count(CreditLot.id))) or 0
        value = session.scalar(select(func.sum(CreditLot.price_cents))) or 0
    return lots, value


class Clicker:
    """Mouse clicks on real widgets, counted as a person would make them."""

    def __init__(self) -> None:
        self.clicks = 0

    def click(self, widget: object, at: QPoint | None = None) -> None:
        self.clicks += 1
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at or QPoint())  # type: ignore[arg-type]


def _through_the_wizard(qtbot, window: MainWindow, path: Path) -> tuple[float, int]:
    clicker = Clicker()
    started = time.perf_counter()
    bar = window.menuBar()
    file_menu = next(a for a in bar.actions() if a.text() == "&File")
    clicker.click(bar, bar.actionGeometry(file_menu).center())
    menu = file_menu.menu()
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    clicker.click(menu, menu.actionGeometry(window.import_action).center())
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ImportWizard))
    wizard = QApplication.activeModalWidget()
    assert isinstance(wizard, ImportWizard)
    QTest.keyClicks(wizard.file_page.file, str(path))
    clicker.click(wizard.button(QWizard.WizardButton.NextButton))  # to the columns
    assert wizard.currentPage() is wizard.mapping_page
    clicker.click(wizard.button(QWizard.WizardButton.NextButton))  # to the types
    assert wizard.currentPage() is wizard.types_page
    assert wizard.types_page.isComplete()  # every pass in the file is a Desk type
    clicker.click(wizard.button(QWizard.WizardButton.NextButton))  # to the preview
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=60_000)
    clicker.click(wizard.button(QWizard.WizardButton.CommitButton))  # "Import"
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=60_000)
    elapsed = time.perf_counter() - started
    assert f"Imported {ROWS:,} rows" in wizard.summary_page.summary.text()
    wizard.close()
    return elapsed, clicker.clicks


def test_wizard_800_members_1200_rows_to_the_summary(
    benchmark, qtbot, template, credits_file, fresh, tmp_path, capsys
):
    clock = FixedClock(NOW, GYM_TZ)
    figures: dict[str, float] = {}

    def setup() -> tuple[tuple[MainWindow], dict[str, object]]:
        services = Services.build(copy_of(template, tmp_path, fresh), clock)
        ctx = DeskContext(services=services, hub=ChangeHub())
        ctx.staff_id = StaffId(services.staff.list()[0].id)
        window = MainWindow(ctx, None, idle_minutes=0)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return (window,), {}

    def run(window: MainWindow) -> None:
        seconds, clicks = _through_the_wizard(qtbot, window, credits_file)
        figures["seconds"], figures["clicks"] = seconds, clicks

    benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)

    # Every row arrived with the value of what was left, to the cent.
    assert imported_value(fresh[-1]) == (ROWS, expected_value())
    assert Services.build(fresh[-1], clock).credits.verify_ledger() == []
    median = benchmark.stats.stats.median
    results["wizard"] = median
    benchmark.extra_info.update(clicks=figures["clicks"], rows=ROWS, members=MEMBERS)
    with capsys.disabled():
        print(f"\n    wizard, File > Import… to the summary: {median:.2f} s, "
              f"{figures['clicks']:.0f} clicks (median of 3)")  # fmt: skip
        if "floor" in results:
            print(f"    wizard / service floor = {median / results['floor']:.1f}x")
    assert median < TARGET_SECONDS
    assert figures["clicks"] <= TARGET_CLICKS


def test_floor_the_same_service_calls_without_widgets(
    benchmark, template, credits_file, fresh, tmp_path, capsys
):
    clock = FixedClock(NOW, GYM_TZ)

    def setup() -> tuple[tuple[Services], dict[str, object]]:
        return (Services.build(copy_of(template, tmp_path, fresh), clock),), {}

    def run(services: Services) -> None:
        preview = services.imports.import_credits(
            credits_file, ImportOptions(dry_run=True), actor=SYSTEM
        ).value
        assert preview.ok
        assert services.imports.import_credits(credits_file, actor=SYSTEM).value.written

    benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)

    assert imported_value(fresh[-1]) == (ROWS, expected_value())
    median = benchmark.stats.stats.median
    results["floor"] = median
    with capsys.disabled():
        print(f"\n    service floor (dry run + import): {median:.2f} s (median of 3)")
        if "wizard" in results:
            print(f"    wizard / service floor = {results['wizard'] / median:.1f}x")
