"""Rows of a booking preview: each occurrence, whether it's free and which credit pays."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk.services.core.read_models import OccurrencePlan
from desk.ui.calendar.availability_words import unavailable_sentence
from desk.ui.calendar.booking_words import busy_cell, lot_words
from desk.ui.widgets.formatting import format_datetime
from desk.ui.widgets.table_model import Column, RowTableModel

COL_WHEN, COL_STAFF, COL_CREDIT = range(3)
_PROBLEM = QBrush(QColor("#b42318"))
FULL_CELL = "Full: every place is taken (waitlist open)"


class OccurrenceModel(RowTableModel[OccurrencePlan]):
    def __init__(self, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.type_name = ""
        """The appointment type the plans book (a lot is named by its type and expiry)."""
        self.columns = (
            Column[OccurrencePlan](
                "When",
                lambda p: format_datetime(p.starts_at, tz),
                lambda p: p.starts_at.isoformat(),
            ),
            Column[OccurrencePlan](
                "Coach",
                lambda p: (
                    busy_cell(p.clash, tz)
                    if p.clash is not None
                    else FULL_CELL
                    if p.full
                    else unavailable_sentence(p.unavailable)
                    if p.unavailable is not None
                    else (p.conflict or "Free")
                ),
            ),
            Column[OccurrencePlan](
                "Credit",
                lambda p: (
                    f"Paid by {lot_words(self.type_name, p.lot_expires_on)}"
                    if p.lot_id is not None
                    else ("—" if p.conflict else "No open credit: not booked")
                ),
            ),
        )

    def set_plans(self, plans: list[OccurrencePlan], type_name: str) -> None:
        self.type_name = type_name
        self.set_rows(plans)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            plan = self.row_at(index.row())
            if (index.column() == COL_STAFF and plan.conflict) or (
                index.column() == COL_CREDIT and plan.lot_id is None
            ):
                return _PROBLEM
        return super().data(index, role)
