"""Settings > General's "The front desk may book unpaid" (book now, pay later): the
box, and the save that writes it after the other general settings."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from desk.services.container import Services
from desk.services.core.actor import Actor
from desk.services.core.changes import Outcome
from desk.services.core.settings import GeneralChange, GymGeneral


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


def save_general(
    services: Services, change: GeneralChange, unpaid: bool | None, actor: Actor
) -> Outcome[GymGeneral]:
    """The general settings' save (runs on the runner's worker): the changed fields, then
    the front desk's unpaid booking when it changed."""
    done = services.settings.update_general(change, actor=actor)
    if unpaid is not None:
        services.unpaid.set_front_desk_books_unpaid(unpaid, actor=actor)
    return done
