"""The profile's Account tab: fee rows name their appointment, and "Waive fee…" waives the
selected late-cancel or no-show fee with a reason (owner or admin) through the runner."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QPushButton, QTableView, QWidget

from desk.services.core.permissions import Permission
from desk.services.selling.sales_views import AccountEntryView
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error
from desk.ui.widgets.formatting import format_datetime, format_money
from desk.ui.widgets.table_model import RowRole


def fee_note(entry: AccountEntryView, tz: tzinfo) -> str:
    """The Account tab's note: a fee or waiver says which appointment it is for."""
    if entry.fee is None:
        return entry.note
    session = f"{entry.fee.appointment_type}, {format_datetime(entry.fee.starts_at, tz)}"
    waived = " (waived)" if entry.fee.waived else ""
    if entry.kind == "waiver":
        return f"Waived the fee for {session}: {entry.note}"
    return f"{entry.note.capitalize()} for {session}{waived}"


class FeeWaive(QObject):
    """Wires the Account tab's Waive fee button to the account table's selected row."""

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget,
        table: QTableView,
        button: QPushButton,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._parent, self._table, self._button = ctx, parent, table, button
        button.clicked.connect(self.waive_selected)
        button.setEnabled(False)
        table.selectionModel().selectionChanged.connect(self.update)
        table.model().modelReset.connect(self.update)
        table.model().layoutChanged.connect(self.update)

    def selected(self) -> AccountEntryView | None:
        rows = self._table.selectionModel().selectedRows()
        row = rows[0].data(RowRole) if rows else None
        return row if isinstance(row, AccountEntryView) else None

    def update(self) -> None:
        row = self.selected()
        open_fee = row is not None and row.kind == "fee" and row.fee is not None
        waivable = open_fee and row is not None and row.fee is not None and not row.fee.waived
        self._button.setEnabled(waivable and self._ctx.can(Permission.WAIVE_FEE))

    def waive_selected(self) -> None:
        row = self.selected()
        if row is None or row.fee is None or row.fee.waived:
            return
        amount = format_money(-row.amount_cents, row.currency)
        when = format_datetime(row.fee.starts_at, self._ctx.services.clock.tz)
        reason, ok = QInputDialog.getText(
            self._parent,
            "Waive fee",
            f"Waive the {amount} {row.note} for {row.fee.appointment_type} on {when}? "
            "The amount goes back on the account; the fee stays in the history.\n"
            "Reason (required):",
        )
        if not ok:
            return
        fees, fee_id, actor = self._ctx.services.fees, row.id, self._ctx.actor
        self._ctx.runner.run(
            lambda: fees.waive(fee_id, reason=reason, actor=actor),
            origin=self._parent,
            on_done=lambda _: None,  # the row says "(waived)" and the balance moves
            on_refused=lambda exc: show_error(self._parent, exc),
        )
