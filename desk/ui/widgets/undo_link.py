"""The status line's "Undo" link: a flat, underlined button shown while there is
something to undo (the calendar's move, the profile's last credit action)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget


def undo_link(parent: QWidget, name: str, accessible: str, tip: str) -> QPushButton:
    """A hidden "Undo" link button named ``name``; the caller shows it when it applies."""
    button = QPushButton("Undo", parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet(
        "QPushButton { color: #1570ef; text-decoration: underline; border: none; padding: 0 4px; }"
    )
    button.hide()
    return button
