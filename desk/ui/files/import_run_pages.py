"""The import wizard's last pages: the dry run, the import itself, and its summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desk.services.core.errors import DeskError
from desk.services.importing.report import RowStatus
from desk.services.importing.service import ImportCancelled
from desk.ui.calendar.unpaid_words import paid_sentence
from desk.ui.files.import_report_file import save_report
from desk.ui.files.import_wizard_state import ImportState, import_task
from desk.ui.members.member_table_model import MemberResultsModel
from desk.ui.shell.background import BackgroundTask
from desk.ui.shell.context import DeskContext


class TaskPage(QWizardPage):
    """A page that runs one background task and is complete when it ends well."""

    def __init__(self, ctx: DeskContext, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._state = state
        self.task: BackgroundTask | None = None
        self._done = False
        self.progress = QProgressBar(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

    def isComplete(self) -> bool:
        return self._done

    def _start(self, task: BackgroundTask) -> None:
        self._done = False
        self.completeChanged.emit()
        self.progress.setRange(0, 0)
        self.task = task
        self.task.progressed.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(self._on_failed)
        self.task.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_finished(self, outcome: Any) -> None:
        raise NotImplementedError

    def _on_failed(self, error: object) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        message = error.message if isinstance(error, DeskError) else f"Unexpected error: {error}"
        self.status.setText(message)


class RunPage(TaskPage):
    def __init__(self, ctx: DeskContext, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(ctx, state, parent)
        self.setTitle("Importing")
        self.progress.setObjectName("importProgress")
        self.status.setObjectName("importStatus")
        self.cancel_button = QPushButton("Cancel import", self)
        self.cancel_button.setObjectName("cancelImportButton")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.status.setText("Writing… (all rows go in together, or none)")
        self.cancel_button.setEnabled(True)
        self._start(import_task(self._ctx, self._state, self, dry_run=False))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("Cancelling…")

    def _on_finished(self, outcome: Any) -> None:
        self._state.result = outcome.value
        self._ctx.hub.publish(outcome.changes, origin=self)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.setEnabled(False)
        self.status.setText("Done.")
        self._done = True
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _on_failed(self, error: object) -> None:
        super()._on_failed(error)
        self.cancel_button.setEnabled(False)
        if isinstance(error, ImportCancelled):
            self.status.setText("Cancelled: nothing was imported.")


class SummaryPage(QWizardPage):
    member_requested = Signal(int)

    def __init__(self, ctx: DeskContext, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._state = state
        self.setTitle("Imported")
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.members = MemberResultsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("importedMembers")
        self.table.setAccessibleName("Members this import touched")
        self.table.setModel(self.members)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(
            lambda index: self.member_requested.emit(self.members.row_at(index.row()).id)
        )
        self.report_button = QPushButton("Save report…", self)
        self.report_button.setObjectName("summaryReportButton")
        self.report_button.setAccessibleName("Save what became of every row as CSV")
        self.report_button.clicked.connect(self._save_report)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Double-click a member to open their profile:", self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignLeft)

    def initializePage(self) -> None:
        report = self._state.result
        assert report is not None
        what = {"members": "members", "appointments": "bookings"}.get(report.kind, "rows")
        extra = ""
        if report.created_members and report.kind != "members":
            extra += f" {report.created_members} new members were created."
        if report.created_types:
            extra += f" New appointment types: {', '.join(report.created_types)}."
        if skipped := report.count(RowStatus.NOTHING_REMAINING):
            extra += f" {skipped:,} row(s) with nothing remaining were skipped."
        if report.left_out:
            which = "; ".join(f"row {o.line} ({o.detail})" for o in report.left_out[:10])
            more = f" and {len(report.left_out) - 10:,} more" if len(report.left_out) > 10 else ""
            extra += f" Left out: {which}{more}."
        if report.paid_unpaid:  # book now, pay later: what the imported credits paid
            extra += " " + paid_sentence(report.paid_unpaid, self._ctx.services.clock.tz)
        self.summary.setText(
            f"Imported {report.to_import:,} {what} from {report.file_name}; "
            f"{report.already_imported:,} were already in Desk.{extra} "
            f"Import id {report.batch_id}: it can be undone while none of its credits are used."
        )
        self.members.set_rows(self._ctx.services.members.summaries(report.member_ids[:500]))
        self.report_button.setVisible(bool(report.outcomes))

    def _save_report(self) -> None:
        if self._state.result is not None:
            save_report(self, self._state.result)
