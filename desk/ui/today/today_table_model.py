"""The Today table: one row per session, late arrivals and empty credits marked.

A mark is never colour alone: a late arrival's status reads "Late: not checked in"
(bold, red) and a member without a credit for their next session reads "0: none left"
(bold, amber), so the row says it to a screen reader and in greyscale too.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desk.services.calendar.today import TodayRow
from desk.services.core.read_models import AppointmentStatus
from desk.ui.calendar.unpaid_words import with_unpaid
from desk.ui.widgets.formatting import format_time, label
from desk.ui.widgets.table_model import Column, RowRole, RowTableModel, SortRole

COL_TIME, COL_MEMBER, COL_TYPE, COL_COACH, COL_STATUS, COL_CREDITS = range(6)
LATE_TEXT = "Late: not checked in"
NONE_LEFT_TEXT = "0: none left"
LATE_BRUSH = QBrush(QColor("#b42318"))
NONE_LEFT_BRUSH = QBrush(QColor("#b54708"))
_BOLD = QFont()
_BOLD.setBold(True)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)


def status_text(row: TodayRow) -> str:
    text = LATE_TEXT if row.late else label(row.appointment.status.value)
    return with_unpaid(text, row.appointment.unpaid)


def credits_text(row: TodayRow) -> str:
    return NONE_LEFT_TEXT if row.out_of_credits else str(row.open_credits)


class TodayModel(RowTableModel[TodayRow]):
    def __init__(self, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column[TodayRow](
                "Time",
                lambda r: (
                    f"{format_time(r.appointment.starts_at, tz)}\N{EN DASH}"
                    f"{format_time(r.appointment.ends_at, tz)}"
                ),
                lambda r: r.appointment.starts_at.isoformat(),
            ),
            Column[TodayRow]("Member", lambda r: r.appointment.member_name),
            Column[TodayRow]("Type", lambda r: r.appointment.appointment_type),
            Column[TodayRow]("Coach", lambda r: r.appointment.staff_name),
            Column[TodayRow]("Status", status_text),
            Column[TodayRow]("Open credits", credits_text, lambda r: r.open_credits, numeric=True),
        )

    def is_dimmed(self, row: TodayRow) -> bool:
        return row.appointment.status in (
            AppointmentStatus.CANCELLED,
            AppointmentStatus.LATE_CANCELLED,
            AppointmentStatus.NO_SHOW,
        )

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        role = int(role)
        if role in (_FONT, _FOREGROUND) and index.isValid() and index.row() < self.rowCount():
            row = self.row_at(index.row())
            column = index.column()
            late = row.late and column in (COL_TIME, COL_MEMBER, COL_STATUS)
            # Attended sessions have spent their credit: an empty balance then is
            # about the next booking, which is what the mark warns of.
            empty = row.out_of_credits and column == COL_CREDITS
            if role == _FONT:
                return _BOLD if late or empty else None
            if late:
                return LATE_BRUSH
            if empty:
                return NONE_LEFT_BRUSH
        return super().data(index, role)


class TodayFilter(QSortFilterProxyModel):
    """Rows whose member, type or coach contains every word typed (any case)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SortRole)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._words:
            return True
        row = self.sourceModel().index(source_row, 0, source_parent).data(RowRole)
        if not isinstance(row, TodayRow):
            return False
        appt = row.appointment
        haystack = f"{appt.member_name} {appt.appointment_type} {appt.staff_name}".casefold()
        return all(word in haystack for word in self._words)
