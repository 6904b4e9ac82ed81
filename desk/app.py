"""Composition root: builds the QApplication, the services and the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from desk import __version__
from desk.db import DatabaseError, open_database
from desk.services.container import Services


def run(database_url: str) -> int:
    """Open the database (migrating it), show the main window, run the event loop."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Desk")
    app.setApplicationVersion(__version__)
    try:
        db = open_database(database_url)
    except DatabaseError as exc:
        QMessageBox.critical(None, "Desk can't open its database", str(exc))
        return 1
    services = Services.build(db)
    from desk.ui.change_hub import ChangeHub
    from desk.ui.context import DeskContext
    from desk.ui.main_window import MainWindow

    settings = QSettings("Desk", "Desk")
    window = MainWindow(DeskContext(services=services, hub=ChangeHub()), settings)
    window.show()
    window.run_startup_checks()
    try:
        return app.exec()
    finally:
        db.dispose()
