"""Save screenshots of the main screens with a demo gym: docs/screenshots/*.png.

Run under a display (or `xvfb-run -a python docs/make_screenshots.py`).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.records.demo import DemoGenerator
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.context import DeskContext
from desk.ui.shell.main_window import MainWindow

OUT = Path(__file__).parent / "screenshots"


def main() -> int:
    app = QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp())
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    clock = FixedClock(datetime(2026, 11, 25, 15, 0, tzinfo=UTC), ZoneInfo("America/New_York"))
    DemoGenerator(db, clock).generate(members=400, seed=3)
    ctx = DeskContext(services=Services.build(db, clock), hub=ChangeHub())
    settings = QSettings(str(folder / "desk.ini"), QSettings.Format.IniFormat)
    ctx.staff_id = next(p.id for p in ctx.services.staff.list() if p.role == "owner")
    window = MainWindow(ctx, settings)
    window.show()
    window.search_panel.search.setText("son")
    OUT.mkdir(exist_ok=True)

    def shoot(widget: QWidget, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(OUT / name))
        print(OUT / name)

    def run() -> None:
        shoot(window, "main_window.png")
        busiest = max(
            (ctx.services.members.summaries(range(1, 401))),
            key=lambda m: m.open_credits,
        )
        profile = window.open_profile(busiest.id)
        profile.resize(1100, 760)
        shoot(profile, "profile_credits.png")
        profile.view.tabs.setCurrentIndex(1)
        shoot(profile, "profile_appointments.png")
        app.quit()

    QTimer.singleShot(200, run)
    app.exec()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
