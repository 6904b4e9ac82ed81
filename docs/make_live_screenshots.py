"""The two-desk screenshot pair: desk A books, desk B's open calendar shows it.

Starts a throwaway PostgreSQL server (the tests' helper: Debian's PostgreSQL 15
binaries), fills a small demo gym, opens two Desk main windows on it, each with
its own connections and desk id, as two workstations would. Desk B shows the
calendar; desk A books a session through its booking dialog's Book button; once
desk B's calendar shows it (by itself, through the change feed) both windows are
saved: docs/screenshots/two_desks_a.png and two_desks_b.png.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \\
        python docs/make_live_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QLocale, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from desk.app import create_application, share_the_gil  # noqa: E402
from desk.db import Database, open_database  # noqa: E402
from desk.services.container import Services  # noqa: E402
from desk.services.core.actor import Actor  # noqa: E402
from desk.services.core.clock import FixedClock  # noqa: E402
from desk.services.core.ids import StaffId  # noqa: E402
from desk.services.records.demo import DemoGenerator  # noqa: E402
from tests.postgres import PostgresServer  # noqa: E402

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 40, tzinfo=ZONE)
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    share_the_gil()
    app = create_application()
    server = PostgresServer().start()
    try:
        return _shoot(app, server.create_database())
    finally:
        server.stop()


def _shoot(app: object, url: str) -> int:
    from desk.ui.calendar.booking_dialog import BookingDialog
    from desk.ui.shell.change_hub import ChangeHub
    from desk.ui.shell.context import DeskContext
    from desk.ui.shell.live_changes import LiveChanges
    from desk.ui.shell.main_window import MainWindow

    clock = FixedClock(NOW.astimezone(UTC), ZONE)
    first = open_database(url)
    DemoGenerator(first, clock).generate(members=120, seed=7)
    owner = (
        Services.build(first, clock)
        .auth.create_owner(name="Dana Whitfield", username="dana", password="a long password")
        .value
    )
    # The owner runs the gym and coaches nobody: not a column of the calendar.
    Services.build(first, clock).staff.set_takes_bookings(
        StaffId(owner.id), False, actor=Actor.system("screenshots")
    )
    first.dispose()
    windows, lives, dbs = [], [], []
    for desk in ("front-desk", "coach-laptop"):
        db = Database(url, desk_id=desk)
        dbs.append(db)
        ctx = DeskContext(services=Services.build(db, clock), hub=ChangeHub())
        ctx.staff_id = StaffId(owner.id)
        settings = QSettings(str(Path(tempfile.mkdtemp()) / "desk.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ctx, settings, idle_minutes=0)
        window.setWindowTitle(f"Desk \N{EM DASH} {desk}")
        window.resize(1280, 800)
        window.show()
        windows.append((ctx, window))
        lives.append(LiveChanges(ctx.services.changes, ctx.hub, window).start())
    (ctx_a, desk_a), (ctx_b, desk_b) = windows
    desk_b.show_calendar()
    desk_b.calendar.show_day(NOW.date())
    _settle(ctx_a, ctx_b)
    coach = next(p for p in ctx_a.services.staff.list() if p.role == "coach" and p.takes_bookings)
    member = max(ctx_a.services.members.summaries(range(1, 121)), key=lambda m: m.open_credits)
    starts = datetime.combine(NOW.date(), datetime.min.time(), ZONE) + timedelta(hours=14)
    booking = BookingDialog(
        ctx_a, member_id=member.id, member_name=member.full_name, staff_id=coach.id,
        starts_at=starts, parent=desk_a,
    )  # fmt: skip
    booking.show()
    _settle(ctx_a, ctx_b)
    booked_at = time.monotonic()
    QTest.mouseClick(booking.book_button, Qt.MouseButton.LeftButton)
    ids_before = {b.appointment.id for b in desk_b.calendar.canvas.blocks}
    while time.monotonic() - booked_at < 10:
        _settle(ctx_a, ctx_b, 0.05)
        if {b.appointment.id for b in desk_b.calendar.canvas.blocks} - ids_before:
            break
    seen = time.monotonic() - booked_at
    desk_a.show_calendar()
    desk_a.calendar.show_day(NOW.date())
    _settle(ctx_a, ctx_b)
    desk_a.grab().save(str(OUT / "two_desks_a.png"))
    desk_b.grab().save(str(OUT / "two_desks_b.png"))
    print(f"desk B showed desk A's booking {seen:.2f} s after the click")
    for live in lives:
        live.stop()
    for _ctx, window in windows:
        window.close()
    for db in dbs:
        db.dispose()
    del app
    return 0


def _settle(a: object, b: object, wait: float = 0.3) -> None:
    for ctx in (a, b):
        ctx.runner.wait_idle()  # type: ignore[attr-defined]
    QTest.qWait(int(wait * 1000))


if __name__ == "__main__":
    raise SystemExit(main())
