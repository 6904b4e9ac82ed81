"""The Reports page: pick a report, its period or day, and read its chart and table.

Every report comes from ``services.reports.table`` on the runner's read worker, so
a year of sessions never holds up the window; a newer request replaces one still
running. The chart draws the table's own figures. Export CSV writes the table as
the command line's ``desk report NAME --csv FILE`` does. Any change published on
the hub reloads the page if it is shown, else marks it stale until it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Changes
from desk.services.core.clock import today
from desk.services.core.errors import DeskError
from desk.services.records.exports import write_csv
from desk.services.reports.service import REPORT_TITLES, REPORTS, default_first
from desk.services.reports.tables import ReportTable, text_rows
from desk.ui.reports.report_chart import ReportChart
from desk.ui.reports.report_table_model import ReportTableModel
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.formatting import date_edit_format, format_date_range, format_long_date
from desk.ui.widgets.qdate import to_date, to_qdate


def _date_edit(parent: QWidget, name: str, accessible: str, day: date) -> QDateEdit:
    edit = QDateEdit(to_qdate(day), parent)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_edit_format())
    return edit


def _filter(parent: QWidget, name: str, accessible: str, everything: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.addItem(everything, None)
    return combo


class ReportsPage(QWidget):
    loaded = Signal()
    profile_requested = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportsPage")
        self._ctx = ctx
        self._stale = True
        self.reloads = 0
        on = today(ctx.services.clock)
        self.choice = QComboBox(self)
        self.choice.setObjectName("reportChoice")
        self.choice.setAccessibleName("Report")
        for key, title in REPORT_TITLES.items():
            self.choice.addItem(title, key)
        self.first = _date_edit(self, "fromDate", "From", default_first(on))
        self.last = _date_edit(self, "toDate", "To", on)
        self.as_of = _date_edit(self, "asOfDate", "As of", on)
        self.days = QSpinBox(self)
        self.days.setObjectName("daysField")
        self.days.setAccessibleName("Days ahead")
        self.days.setRange(0, 366)
        self.days.setValue(30)
        self.days.setSuffix(" days")
        self.by = QComboBox(self)
        self.by.setObjectName("byChoice")
        self.by.setAccessibleName("Group by")
        for key in ("day", "week", "month"):
            self.by.addItem(f"by {key}", key)
        self.kind = _filter(self, "typeChoice", "Appointment type", "All types")
        self.coach = _filter(self, "coachChoice", "Coach", "All coaches")
        self._filters_loaded = False
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setObjectName("exportCsv")
        self.export_button.setAccessibleName("Export CSV")
        self.export_button.setEnabled(False)
        self.title = QLabel(self)
        self.title.setObjectName("reportTitle")
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
        self._labels: dict[str, QLabel] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.choice)
        for text, widget in (("From", self.first), ("to", self.last), ("As of", self.as_of),
                             ("", self.days), ("", self.by), ("", self.kind),
                             ("", self.coach)):  # fmt: skip
            if text:
                label = QLabel(text, self)
                label.setBuddy(widget)
                self._labels[widget.objectName()] = label
                bar.addWidget(label)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(bar)
        layout.addWidget(self.title)
        layout.addWidget(self.error)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        self._widgets = {"range": (self.first, self.last), "as_of": (self.as_of,),
                         "days": (self.days,), "by": (self.by,), "type": (self.kind,),
                         "coach": (self.coach,)}  # fmt: skip
        self.choice.currentIndexChanged.connect(self._choice_changed)
        for edit in (self.first, self.last, self.as_of):
            edit.dateChanged.connect(lambda _d: self.reload())
        self.days.valueChanged.connect(lambda _v: self.reload())
        for combo in (self.by, self.kind, self.coach):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.export_button.clicked.connect(self.export_csv)
        self.table.activated.connect(self._open_member)
        ctx.hub.changed.connect(self._on_changes)
        self._choice_changed()

    @property
    def report(self) -> str:
        return str(self.choice.currentData())

    def _choice_changed(self) -> None:
        takes = REPORTS[self.report]
        for option, widgets in self._widgets.items():
            for widget in widgets:
                widget.setVisible(option in takes)
                label = self._labels.get(widget.objectName())
                if label is not None:
                    label.setVisible(option in takes)
        self.reload()

    def reload(self) -> None:
        """Fetch the chosen report on the read worker (a shown page only; a hidden one
        just notes that it is stale)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self._load_filters()
        first, last = to_date(self.first.date()), to_date(self.last.date())
        as_of, days = to_date(self.as_of.date()), self.days.value()
        by, name = str(self.by.currentData()), self.report
        takes = REPORTS[name]
        kind = self.kind.currentData() if "type" in takes else None
        coach = self.coach.currentData() if "coach" in takes else None
        reports = self._ctx.services.reports
        self.reloads += 1

        def fetch() -> ReportTable:
            return reports.table(name, first=first, last=last, as_of=as_of, days=days, by=by,
                                 type_id=kind, coach_id=coach)  # fmt: skip

        self._ctx.runner.read(
            (self, "report"),
            fetch,
            self._apply,
            origin=self,
            on_failed=self._failed,
        )

    def _load_filters(self) -> None:
        """Fill the type and coach filters once, on the read worker."""
        if self._filters_loaded:
            return
        self._filters_loaded = True
        services = self._ctx.services

        def fetch() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
            kinds = services.appointment_types.list(include_inactive=True)
            staff = services.staff.list(include_inactive=True)
            return [(k.name, k.id) for k in kinds], [(p.name, p.id) for p in staff]

        def fill(found: tuple[list[tuple[str, int]], list[tuple[str, int]]]) -> None:
            for combo, items in zip((self.kind, self.coach), found, strict=True):
                combo.blockSignals(True)
                for text, key in items:
                    combo.addItem(text, key)
                combo.blockSignals(False)

        self._ctx.runner.read((self, "filters"), fetch, fill, origin=self)

    def _apply(self, table: ReportTable) -> None:
        self.error.hide()
        self.title.setText(f"<b>{self._title()}</b>")
        self.chart.show_bars(table.chart, money=table.chart_money)
        self.model.show(table)
        self.export_button.setEnabled(True)
        self.loaded.emit()

    def _title(self) -> str:
        """The report's name and its period or day, in the desk's locale."""
        takes, name = REPORTS[self.report], REPORT_TITLES[self.report]
        if "range" in takes:
            first, last = to_date(self.first.date()), to_date(self.last.date())
            return f"{name}, {format_date_range(first, last)}"
        as_of = to_date(self.as_of.date())
        if "days" in takes:
            ahead = as_of + timedelta(days=self.days.value())
            return f"{name}, {format_date_range(as_of, ahead)}"
        return f"{name}, {format_long_date(as_of)}"

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, DeskError):
            raise error
        self.error.setText(error.message)
        self.error.show()
        self.export_button.setEnabled(False)
        self.model.set_rows([])
        self.chart.show_bars((), money=True)
        self.loaded.emit()

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
            write_csv(Path(name), table.header, text_rows(table, self._ctx.services.clock.tz))
        except DeskError as exc:
            self.error.setText(exc.message)
            self.error.show()

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
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.reload()
