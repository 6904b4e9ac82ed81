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


def show_failure(parent: QWidget | None, error: BaseException) -> None:
    """Something that is not a refusal went wrong (a bug, a lost database): say so
    plainly; the traceback is in the log."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        f"That didn't work: {error}\nNothing was changed by it; the details are in the log.",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("failureMessage")
    box.exec()
