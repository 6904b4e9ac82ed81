"""Settings > General's "The front desk may book unpaid" (book now, pay later): the box;
the dialog's save writes it after the other general settings."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from desk.services.container import Services


class UnpaidBox(QCheckBox):
    """Checked when the front desk may book a session without a credit."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("The front desk may book sessions without a credit (unpaid)", parent)
        self.setObjectName("frontDeskBooksUnpaidField")
        self.setToolTip(
            "Owners and admins always may. An unpaid booking is paid by the member's "
            "next credits of its type."
        )
        self._loaded = services.unpaid.front_desk_books_unpaid()
        self.setChecked(self._loaded)

    def wanted(self) -> bool | None:
        """The new value, or None when it is as the dialog opened with."""
        return None if self.isChecked() == self._loaded else self.isChecked()
