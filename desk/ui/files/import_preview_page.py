"""The import wizard's check before importing: who gets what (sortable, with totals per
type), the problems found, leaving a row out, and the report of every row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.importing.report import ImportReport, RowOutcome, RowStatus
from desk.ui.files.import_report_file import save_report
from desk.ui.files.import_run_pages import TaskPage
from desk.ui.files.import_wizard_state import ImportState, import_task
from desk.ui.files.outcome_table_model import OutcomeModel, TotalsModel
from desk.ui.files.problem_table_model import ProblemModel
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.table_model import RowRole, SortRole


def table(parent: QWidget, name: str, accessible: str, model: Any) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Widths from the first rows only: measuring all of 100,000 would stall the page.
    view.horizontalHeader().setResizeContentsPrecision(200)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class PreviewPage(TaskPage):
    def __init__(self, ctx: DeskContext, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(ctx, state, parent)
        self.setTitle("Check before importing")
        self.setSubTitle("Every row is checked; nothing is written yet.")
        self.status.setObjectName("previewSummary")
        self.problems = ProblemModel(self)
        self.table = table(self, "previewTable", "Problems found in the file", self.problems)
        self.outcomes = OutcomeModel(self)
        self.outcome_proxy = QSortFilterProxyModel(self)
        self.outcome_proxy.setSourceModel(self.outcomes)
        self.outcome_proxy.setSortRole(SortRole)
        self.rows = table(self, "previewRows", "Who gets what", self.outcome_proxy)
        self.rows.setSortingEnabled(True)
        self.rows.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the file's order first
        self.totals = TotalsModel(self)
        self.totals_table = table(self, "previewTotals", "Totals per type", self.totals)
        self.totals_table.horizontalHeader().setStretchLastSection(False)
        self.totals_table.verticalHeader().setDefaultSectionSize(24)
        self.totals_table.setMaximumHeight(24 * 5 + 28)
        self.leave_out_button = QPushButton("Leave this row out", self)
        self.leave_out_button.setObjectName("leaveOutButton")
        self.leave_out_button.setAccessibleName("Leave the selected row out of the import")
        self.leave_out_button.clicked.connect(self.leave_out_selected)
        self.report_button = QPushButton("Save report…", self)
        self.report_button.setObjectName("saveReportButton")
        self.report_button.setAccessibleName("Save what becomes of every row as CSV")
        self.report_button.clicked.connect(self._save_report)
        buttons = QHBoxLayout()
        buttons.addWidget(self.leave_out_button)
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Who gets what (click a heading to sort):", self))
        layout.addWidget(self.rows, 2)
        layout.addWidget(QLabel("Totals per type:", self))
        layout.addWidget(self.totals_table)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        self.problems.set_rows([])
        self.outcomes.set_rows([])
        self.totals.set_rows([])
        self._state.preview = None
        self.leave_out_button.setEnabled(False)
        self.report_button.setEnabled(False)
        self.status.setText("Checking every row…")
        self._start(import_task(self._ctx, self._state, self, dry_run=True))

    def _on_finished(self, outcome: Any) -> None:
        report: ImportReport = outcome.value
        self._state.preview = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.problems.set_rows(report.problems)
        self.outcomes.set_rows(report.outcomes)
        self.totals.set_rows(report.totals_by_type())
        self.table.setVisible(bool(report.problems))
        self.leave_out_button.setEnabled(True)
        self.report_button.setEnabled(bool(report.outcomes))
        self.status.setText(preview_text(report))
        self._done = report.ok and report.to_import > 0
        self.completeChanged.emit()

    def selected_line(self) -> tuple[int, str] | None:
        """(line, why) of the row chosen in the problems or the rows table."""
        for view in (self.table, self.rows):
            chosen = view.selectionModel().selectedRows()
            if chosen:
                row = chosen[0].data(RowRole)
                if isinstance(row, RowOutcome):
                    return row.line, row.detail or "left out in the preview"
                if row is not None:
                    return row.row, f"left out in the preview: {row.message}"
        return None

    def leave_out_selected(self) -> None:
        chosen = self.selected_line()
        if chosen is None:
            self.status.setText("Choose a row in a table first, then leave it out.")
            return
        line, why = chosen
        self._state.leave_out[line] = why
        self.initializePage()  # checked again without it

    def _save_report(self) -> None:
        if self._state.preview is not None:
            save_report(self, self._state.preview)


def preview_text(report: ImportReport) -> str:
    parts = [f"{report.rows:,} rows read"]
    if report.errors:
        parts.append(f"{len(report.errors)} error(s) to fix or leave out first")
    if report.warnings:
        parts.append(f"{len(report.warnings)} warning(s)")
    parts.append(f"{report.to_import:,} to import")
    if report.already_imported:
        parts.append(f"{report.already_imported:,} already imported")
    skipped = report.count(RowStatus.NOTHING_REMAINING) + report.count(RowStatus.NOT_BOOKED)
    if skipped:
        parts.append(f"{skipped:,} skipped with nothing remaining")
    if report.left_out:
        parts.append(f"{len(report.left_out):,} left out")
    if report.created_members:
        parts.append(f"{report.created_members} new members")
    if report.created_types:
        parts.append(f"new types: {', '.join(report.created_types)}")
    return "; ".join(parts) + "."
