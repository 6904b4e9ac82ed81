"""The main window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from desk.services.container import Services


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle("Desk")
        self.resize(1100, 720)
        count = services.members.count()
        self.setCentralWidget(QLabel(f"{count:,} members"))
        self.statusBar().showMessage(f"Database: {services.db.describe()}")
