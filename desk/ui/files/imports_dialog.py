"""File > Imports: every import (when, who, file, rows, members, credits, value) and
undoing one while none of its credits were used."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import DeskError
from desk.services.core.permissions import Permission
from desk.services.importing.service import BatchView
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.formatting import format_datetime, format_money
from desk.ui.widgets.table_model import Column, RowRole, RowTableModel, SortRole

KIND_LABELS = {"credits": "Credits", "members": "Members"}
STATUS_LABELS = {"imported": "Imported", "undone": "Undone"}


def batch_columns(tz: tzinfo) -> tuple[Column[BatchView], ...]:
    return (
        Column[BatchView]("When", lambda b: format_datetime(b.created_at, tz),
                          lambda b: b.created_at),
        Column[BatchView]("Who", lambda b: b.by or "Command line / system"),
        Column[BatchView]("What", lambda b: KIND_LABELS.get(b.kind, b.kind)),
        Column[BatchView]("File", lambda b: b.file_name),
        Column[BatchView]("Rows", lambda b: f"{b.rows_imported:,}", lambda b: b.rows_imported,
                          numeric=True),
        Column[BatchView]("Members", lambda b: f"{b.members:,}", lambda b: b.members,
                          numeric=True),
        Column[BatchView]("Credits", lambda b: f"{b.credits:,}" if b.kind == "credits" else "",
                          lambda b: b.credits, numeric=True),
        Column[BatchView]("Value",
                          lambda b: format_money(b.value_cents) if b.kind == "credits" else "",
                          lambda b: b.value_cents, numeric=True),
        Column[BatchView]("Status", lambda b: STATUS_LABELS.get(b.status, b.status)),
    )  # fmt: skip


class BatchModel(RowTableModel[BatchView]):
    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        self.columns = batch_columns(tz)
        super().__init__(parent)

    def is_dimmed(self, row: BatchView) -> bool:
        return row.status == "undone"


class ImportsDialog(QDialog):
    """The list of imports with Undo; the undo runs on the operation runner."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("ImportsDialog")
        self.setWindowTitle("Imports")
        self.resize(980, 460)
        self.model = BatchModel(ctx.services.clock.tz, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView(self)
        self.table.setObjectName("importsTable")
        self.table.setAccessibleName("Imports done so far")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.undo_button = QPushButton("Undo import", self)
        self.undo_button.setObjectName("undoImportButton")
        self.undo_button.setAccessibleName("Undo the selected import")
        self.undo_button.clicked.connect(self.undo_selected)
        self.message = QLabel(self)
        self.message.setObjectName("importsMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "An import can be undone while none of its credits were booked, adjusted or "
                "expired; the ledger keeps both the import and its undo.",
                self,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_button)
        self.reload()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None = None) -> ImportsDialog:
        dialog = cls(ctx, parent)
        dialog.open()
        return dialog

    def reload(self) -> None:
        self.model.set_rows(self._ctx.services.imports.batches())
        self._update_button()

    def selected(self) -> BatchView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        batch = rows[0].data(RowRole)
        return batch if isinstance(batch, BatchView) else None

    def _update_button(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(
            batch is not None and batch.status == "imported" and self._ctx.can(Permission.IMPORT)
        )

    def undo_selected(self) -> None:
        """Ask first: an undo writes off every credit (or removes every member) the file
        brought, and a second import of the same file is the only way back."""
        batch = self.selected()
        if batch is None:
            return
        what = (
            f"{batch.members:,} members it added"
            if batch.kind == "members"
            else f"{batch.credits:,} credits it granted ({format_money(batch.value_cents)})"
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Undo import",
            f"Undo the import of {batch.file_name}? This takes back the {what}. "
            "The history keeps both the import and its undo.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("undoImportQuestion")
        box.button(QMessageBox.StandardButton.Yes).setText("Undo import")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda answer: self._undo(batch) if answer == QMessageBox.StandardButton.Yes else None
        )
        box.open()

    def _undo(self, batch: BatchView) -> None:
        imports, actor = self._ctx.services.imports, self._ctx.actor
        self.undo_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(f"Undoing the import of {batch.file_name}…")

        def done(undone: BatchView) -> None:
            self.message.setText(
                f"Undid the import of {undone.file_name} ({undone.rows_imported:,} rows)."
            )
            self.reload()

        def refused(error: DeskError) -> None:
            self.message.setStyleSheet("color: #b42318;")
            self.message.setText(error.message)
            self._update_button()

        self._ctx.runner.run(
            lambda: imports.undo(batch.id, actor=actor),
            origin=self,
            on_done=done,
            on_refused=refused,
        )
