"""Showing service errors to people: their message, never a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.services.core.errors import DeskError


def show_error(parent: QWidget | None, error: DeskError, title: str = "Can't do that") -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, error.message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorMessage")
    box.exec()
