"""The Reports page: pick a report, its period or day and filters, and read its chart
and table; export it as CSV, save it as a PDF or print it.

Every report comes from ``services.reports.table`` on the runner's read worker, so
a year of sessions never holds up the window; a newer request replaces one still
running. The chart draws the table's own figures. Export CSV writes the table as
the command line's ``desk report NAME --csv FILE`` does; Save as PDF… and Print…
put the gym's name, the title, the filters, the chart and the table on paper
(report_pdf.py, as ``desk report NAME --pdf FILE``). Only the reports the person
at the desk may open are offered (``REPORT_PERMISSIONS``; the service checks
again). Any change published on the hub reloads the page if it is shown, else
marks it stale until it is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Changes
from desk.services.core.clock import today
from desk.services.core.errors import DeskError
from desk.services.records.exports import write_csv
from desk.services.reports.service import reports_for
from desk.services.reports.tables import ReportTable, text_rows
from desk.ui.reports.pdf_pages import new_printer
from desk.ui.reports.report_chart import ReportChart
from desk.ui.reports.report_controls import ReportControls, ReportRequest
from desk.ui.reports.report_pdf import ReportPage, is_wide, print_report, write_report_pdf
from desk.ui.reports.report_table_model import ReportTableModel
from desk.ui.shell.context import DeskContext


def _button(parent: QWidget, text: str, name: str, accessible: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setEnabled(False)
    return button


class ReportsPage(QWidget):
    loaded = Signal()
    profile_requested = Signal(int)
    printed = Signal(str)
    """What Save as PDF… or Print… did, in words (also shown under the title)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportsPage")
        self._ctx = ctx
        self._stale = True
        self.reloads = 0
        self.shown: ReportRequest | None = None
        self.controls = ReportControls(ctx, today(ctx.services.clock), self)
        c = self.controls
        self.choice, self.first, self.last, self.as_of = c.choice, c.first, c.last, c.as_of
        self.days, self.by, self.kind, self.coach = c.days, c.by, c.kind, c.coach
        self.plan, self.package, self.status = c.plan, c.package, c.status
        self.export_button = _button(self, "Export CSV…", "exportCsv", "Export CSV")
        self.pdf_button = _button(self, "Save as PDF…", "savePdf", "Save as PDF")
        self.print_button = _button(self, "Print…", "printReport", "Print")
        for button in (self.export_button, self.pdf_button, self.print_button):
            c.top_row.addWidget(button)
        self.title = QLabel(self)
        self.title.setObjectName("reportTitle")
        self.note = QLabel(self)
        self.note.setObjectName("reportNote")
        self.note.hide()
        self.error = QLabel(self)
        self.error.setObjectName("reportError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.hide()
        self.chart = ReportChart(self)
        self.model = ReportTableModel(ctx.services.clock.tz, self)
        self.table = QTableView(self)
        self.table.setObjectName("reportTable")
        self.table.setAccessibleName("Report table")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(self.controls)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        c.changed.connect(self.reload)
        self.export_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_report)
        self.table.activated.connect(self._open_member)
        ctx.hub.changed.connect(self._on_changes)
        self.refresh_access()

    @property
    def report(self) -> str:
        return self.controls.report

    def refresh_access(self) -> bool:
        """Offer the reports the person at the desk may open (none before anyone
        signed in); whether there is one."""
        names: list[str] = []
        if self._ctx.staff_id is not None:
            names = reports_for(self._ctx.services.auth.permissions(self._ctx.actor))
        self.controls.set_reports(names)
        self._stale = True
        if names and self.isVisible():
            self.reload()
        return bool(names)

    def reload(self) -> None:
        """Fetch the chosen report on the read worker (a shown page only; a hidden one
        just notes that it is stale)."""
        if not self.isVisible() or self.choice.count() == 0:
            self._stale = True
            return
        self._stale = False
        self.controls.load_filters()
        request = self.controls.request()
        reports, actor = self._ctx.services.reports, self._ctx.actor
        self.reloads += 1

        def fetch() -> ReportTable:
            return reports.table(
                request.name, first=request.first, last=request.last, as_of=request.as_of,
                days=request.days, by=request.by, filters=request.filters, actor=actor,
            )  # fmt: skip

        self._ctx.runner.read(
            (self, "report"),
            fetch,
            lambda table: self._apply(request, table),
            origin=self,
            on_failed=self._failed,
        )

    def _apply(self, request: ReportRequest, table: ReportTable) -> None:
        self.shown = request
        self.error.hide()
        self.note.hide()
        only = f" (only {request.filter_words})" if request.filter_words else ""
        self.title.setText(f"<b>{request.title}</b>{only}")
        self.chart.show_bars(table.chart, money=table.chart_money)
        self.model.show(table)
        for button in (self.export_button, self.pdf_button, self.print_button):
            button.setEnabled(True)
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DeskError):
            raise error
        self.shown = None
        self.error.setText(error.message)
        self.error.show()
        for button in (self.export_button, self.pdf_button, self.print_button):
            button.setEnabled(False)
        self.model.set_rows([])
        self.chart.show_bars((), money=True)
        self.loaded.emit()

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()
        self.printed.emit(text)

    def _page(self) -> ReportPage | None:
        if self.shown is None:
            return None
        gym = self._ctx.services.settings.general().name
        return ReportPage(gym, self.shown.title, self.shown.filter_words)

    def export_csv(self) -> None:
        """Ask where, then write the shown table there as CSV."""
        table = self.model.table
        if table is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Export CSV", f"{self.report}.csv", "CSV files (*.csv)"
        )
        if not name:
            return
        try:
            count = write_csv(
                Path(name), table.header, text_rows(table, self._ctx.services.clock.tz)
            )
        except DeskError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self._say(f"{count} rows written to {name}.")

    def save_pdf(self) -> None:
        """Ask where, then write the shown report there as a PDF."""
        table, page = self.model.table, self._page()
        if table is None or page is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save report as PDF", f"{self.report}.pdf", "PDF files (*.pdf)"
        )
        if not name:
            return
        try:
            pages = write_report_pdf(table, Path(name), self._ctx.services.clock.tz, page)
        except DeskError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self._say(f"Saved {name} ({pages} page{'s' if pages != 1 else ''}).")

    def print_report(self) -> None:
        """Open the Print dialog, then print the shown report on the printer chosen."""
        table, page = self.model.table, self._page()
        if table is None or page is None:
            return
        printer = new_printer(wide=is_wide(table))
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("reportPrintDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages = print_report(table, printer, self._ctx.services.clock.tz, page)
        self._say(f"Sent to {printer.printerName() or printer.outputFileName()} "
                  f"({pages} page{'s' if pages != 1 else ''}).")  # fmt: skip

    def _open_member(self, index: QModelIndex) -> None:
        """Enter or a double click on a row that names a member (expiring soon) opens them."""
        table = self.model.table
        if table is None or not table.header or table.header[0] != "Member ID":
            return
        member = table.rows[index.row()][0]
        if isinstance(member, int):
            self.profile_requested.emit(member)

    def _on_changes(self, changes: Changes, _origin: object) -> None:
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def set_dates(self, first: date, last: date) -> None:
        """Set the period (blocking the reload until both are set)."""
        for edit, day in ((self.first, first), (self.last, last)):
            edit.blockSignals(True)
            edit.setDate(day)
            edit.blockSignals(False)
        self.reload()
