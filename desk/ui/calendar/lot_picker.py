"""The booking dialog's choice of the lot that pays (issue 18, item 1).

The member's usable lots of the type, in the order they pay (the service's
``paying_order``); the first, the default, is what a booking takes when nobody
picks. Picking another sends its id with the booking (``lot_id``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QWidget

from desk.services.credits.paying_order_reads import PayingLotView
from desk.ui.members.paying_order_words import lot_phrase


class LotPicker(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lotField")
        self.setAccessibleName("Lot that pays")
        self.setToolTip("Which credits pay: the first is the one that pays unless you pick another")

    def set_lots(self, lots: Sequence[PayingLotView]) -> None:
        """Offer ``lots`` (in paying order), keeping the pick when it is still there;
        hidden with fewer than two lots (nothing to pick). Emits no signal."""
        kept = self.currentData()
        self.blockSignals(True)
        self.clear()
        for n, lot in enumerate(lots):
            self.addItem(lot_phrase(lot) + (" (default)" if n == 0 else ""), lot.lot_id)
        index = self.findData(kept) if kept is not None else -1
        self.setCurrentIndex(max(index, 0) if lots else -1)
        self.blockSignals(False)
        self.setVisible(len(lots) > 1)

    def picked_lot(self) -> int | None:
        """The lot staff picked, or None for the default (the first)."""
        if self.currentIndex() <= 0:
            return None
        value = self.currentData()
        return int(value) if value is not None else None
