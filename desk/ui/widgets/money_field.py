"""A money input: what people type ("$1,200", "12.5") checked as they type."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from desk.services.core.errors import ValidationError
from desk.services.core.money import parse_money


class MoneyField(QWidget):
    """A "$" and a line edit; ``cents()`` is None while the text isn't an amount."""

    changed = Signal()

    def __init__(self, object_name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit("0.00", self)
        self.edit.setObjectName(object_name)
        self.edit.setAccessibleName(accessible)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("$", self))
        layout.addWidget(self.edit, 1)
        self.edit.textChanged.connect(self.changed)

    def set_cents(self, cents: int) -> None:
        self.edit.setText(f"{cents // 100}.{cents % 100:02d}")

    def cents(self) -> int | None:
        try:
            return parse_money(self.edit.text())
        except ValidationError:
            return None

    def problem(self) -> str:
        try:
            parse_money(self.edit.text())
        except ValidationError as exc:
            return exc.message
        return ""
