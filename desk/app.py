"""Composition root: builds the QApplication, the services and the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from importlib.resources import files

from PySide6.QtCore import QSettings, QTimer, qInstallMessageHandler, qVersion
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox

from desk import __version__
from desk.db import DatabaseError, open_database
from desk.gc_settings import freeze_long_lived_objects
from desk.logging_setup import configure_logging, stop_logging
from desk.services.container import Services
from desk.services.core.ids import StaffId

log = logging.getLogger(__name__)

GIL_SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL while another waits for it (Python's default: 5 ms).

Every write runs on the OperationRunner's worker while the GUI thread paints and reads.
Each time the GUI thread gives the GIL up (every SQLite call, every Qt call that waits)
it waited up to the whole interval to get it back from a busy worker. Measured with
tests/benchmarks/test_gui_stall.py (a 100,000-row credits import on the worker, the Add
Credits dialog opened and saved meanwhile): opening the dialog stalled the GUI thread
64-68 ms at 5 ms, 22 ms at 1 ms; p99 stall 24-30 ms at 5 ms, 15-18 ms at 1 ms. The
import itself is no slower (13 s either way).
"""


def share_the_gil() -> None:
    """Let the GUI thread get the GIL back quickly from the write worker (see above)."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)


def app_icon() -> QIcon:
    """Desk's icon, read from the package (works from source and in a frozen bundle)."""
    pixmap = QPixmap()
    pixmap.loadFromData((files("desk") / "resources" / "icon.png").read_bytes(), "PNG")
    return QIcon(pixmap)


def create_application() -> QApplication:
    """The QApplication (made once), named, versioned and with the app icon."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Desk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    return app


def run(database_url: str, announce: Callable[[], None] | None = None) -> int:
    """Open the database (migrating it), show the main window, run the event loop.

    ``announce`` runs once the database is open (the command line says there that
    it created a new file)."""
    log_file = configure_logging()
    share_the_gil()
    from desk.ui.shell.crash_reporter import CrashReporter
    from desk.ui.shell.qt_messages import log_qt_message
    from desk.ui.shell.workstation_settings import apply_locale

    previous_handler = qInstallMessageHandler(log_qt_message)
    app = create_application()
    settings = QSettings("Desk", "Desk")
    apply_locale(settings)  # before any window or dialog formats a date
    log.info("Qt %s, platform %s", qVersion(), app.platformName())

    reporter = CrashReporter(log_file, app)
    reporter.install()

    def restore() -> None:
        reporter.uninstall()
        qInstallMessageHandler(previous_handler)
        log.info("Desk closed")
        stop_logging()

    try:
        db = open_database(database_url)
    except DatabaseError as exc:
        log.error("Can't open the database: %s", exc)
        QMessageBox.critical(None, "Desk can't open its database", str(exc))
        restore()
        return 1
    if announce is not None:
        announce()
    services = Services.build(db)
    from desk.ui.shell.change_hub import ChangeHub
    from desk.ui.shell.context import DeskContext
    from desk.ui.shell.daily_housekeeping import DailyHousekeeping
    from desk.ui.shell.gui_gc import GuiThreadCollector
    from desk.ui.shell.live_changes import LiveChanges
    from desk.ui.shell.login_dialog import LoginDialog
    from desk.ui.shell.main_window import MainWindow
    from desk.ui.shell.owner_setup_dialog import OwnerSetupDialog

    ctx = DeskContext(services=services, hub=ChangeHub())
    # First run creates the owner; every start signs someone in before the window.
    staff = OwnerSetupDialog.ask(ctx) if services.auth.needs_owner() else LoginDialog.ask(ctx)
    if staff is None:
        db.dispose()
        restore()
        return 0
    ctx.staff_id = StaffId(staff.id)
    window = MainWindow(ctx, settings)
    collector = GuiThreadCollector(window).start()  # never in a worker thread (gui_gc.py)
    window.show()
    # The day's backup and file check read the whole file: after the window, not before.
    housekeeping = DailyHousekeeping(services, settings, window).start()
    window.run_startup_checks()
    live = LiveChanges(services.changes, ctx.hub, window).start()
    # Once the window is up: what exists now lives all session (see gc_settings).
    QTimer.singleShot(0, freeze_long_lived_objects)
    try:
        return app.exec()
    finally:
        housekeeping.stop()  # closing the window stopped it already; never a copy half-made
        collector.stop()
        live.stop()
        db.dispose()
        restore()
