"""The profile's appointments tab: "Forgive…" on a late cancel or no-show row.

Enabled on a history row of a late cancel or no-show that names its appointment, for an
owner or admin; it asks why and forgives through the runner (desk/ui/calendar/forgive.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QWidget

from desk.services.core.read_models import AppointmentStatus, HistoryKind, HistoryRow
from desk.ui.calendar.forgive import can_forgive, forgive
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error
from desk.ui.widgets.table_model import RowRole

STATUS_OF = {
    HistoryKind.NO_SHOW: AppointmentStatus.NO_SHOW,
    HistoryKind.LATE_CANCELLED: AppointmentStatus.LATE_CANCELLED,
}


class HistoryForgive(QObject):
    """Wires the tab's Forgive button to the history table's selected row."""

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget,
        table: QTableView,
        button: QPushButton,
        status: QLabel,
        member_name: Callable[[], str],
    ) -> None:
        super().__init__(parent)
        self._ctx, self._parent, self._table = ctx, parent, table
        self._button, self._status, self._member_name = button, status, member_name
        button.clicked.connect(self.forgive_selected)
        button.setEnabled(False)

    def connect_selection(self) -> None:
        """Call once the table has its model."""
        self._table.selectionModel().selectionChanged.connect(self.update)
        self._table.model().modelReset.connect(self.update)
        self._table.model().layoutChanged.connect(self.update)

    def selected(self) -> HistoryRow | None:
        rows = self._table.selectionModel().selectedRows()
        row = rows[0].data(RowRole) if rows else None
        return row if isinstance(row, HistoryRow) else None

    def update(self) -> None:
        row = self.selected()
        status = STATUS_OF.get(row.kind) if row is not None else None
        paid = row is not None and row.appointment_id is not None
        self._button.setEnabled(can_forgive(self._ctx, status, paid))

    def forgive_selected(self) -> None:
        row = self.selected()
        status = STATUS_OF.get(row.kind) if row is not None else None
        if row is None or status is None or row.appointment_id is None:
            return
        forgive(
            self._ctx,
            self._parent,
            row.appointment_id,
            status=status,
            member_name=self._member_name(),
            starts_at=row.appointment_at or row.at,
            on_done=self._status.setText,
            on_refused=lambda exc: show_error(self._parent, exc),
        )
