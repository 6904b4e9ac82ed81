"""File > Import: pick a file, check its columns, preview problems, import, summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desk.services.core.errors import DeskError
from desk.services.importing.inspect import FIELD_LABELS, FileLook, fields_for, look_at
from desk.services.importing.report import ImportOptions, ImportReport
from desk.services.importing.service import ImportCancelled
from desk.ui.files.problem_table_model import ProblemModel
from desk.ui.members.member_table_model import MemberResultsModel
from desk.ui.shell.background import BackgroundTask
from desk.ui.shell.context import DeskContext

IGNORE_LABEL = "(don't import)"
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")
DELIMITERS = ((",", "Comma"), (";", "Semicolon"), ("\t", "Tab"))


class _State:
    """What the pages share: the file, how to read it, and the reports."""

    def __init__(self) -> None:
        self.kind = "credits"
        self.path: Path | None = None
        self.look: FileLook | None = None
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.mapping: dict[int, str] = {}
        self.create_members = False
        self.create_types = False
        self.date_order: str | None = None
        self.preview: ImportReport | None = None
        self.result: ImportReport | None = None

    def options(self, *, dry_run: bool) -> ImportOptions:
        header = self.look.header if self.look else []
        pairs = tuple(f"{header[i]}={self.mapping.get(i, 'ignore')}" for i in range(len(header)))
        return ImportOptions(
            encoding=self.encoding,
            delimiter=self.delimiter,
            mappings=pairs,
            date_order=self.date_order,
            create_missing_members=self.create_members,
            create_missing_types=self.create_types,
            dry_run=dry_run,
        )


def _import_task(
    ctx: DeskContext, state: _State, parent: QObject, *, dry_run: bool
) -> BackgroundTask:
    """The import (or its dry run) as a task on the runner's write queue."""
    assert state.path is not None
    path = state.path
    options = state.options(dry_run=dry_run)
    service = ctx.services.imports
    members = state.kind == "members"

    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
        if members:
            return service.import_members(
                path, options, actor=ctx.actor, progress=progress, cancelled=cancelled
            )
        return service.import_credits(
            path, options, actor=ctx.actor, progress=progress, cancelled=cancelled
        )

    return ctx.runner.write_task(work, parent)


class FilePage(QWizardPage):
    def __init__(self, state: _State, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setTitle("Which file?")
        self.setSubTitle("A CSV export from your previous system or a spreadsheet.")
        self.members = QRadioButton("Members (names, emails, phones)", self)
        self.members.setObjectName("importMembers")
        self.credits = QRadioButton("Outstanding credits (member, type, how many, expiry)", self)
        self.credits.setObjectName("importCredits")
        self.credits.setChecked(True)
        self.file = QLineEdit(self)
        self.file.setObjectName("fileField")
        self.file.setAccessibleName("File to import")
        self.file.setPlaceholderText("Choose a .csv file")
        browse = QPushButton("Browse…", self)
        browse.setObjectName("browseButton")
        browse.clicked.connect(self._browse)
        self.error = QLabel(self)
        self.error.setObjectName("fileError")
        self.error.setStyleSheet("color: #b42318;")
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.credits)
        layout.addWidget(self.members)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.file.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import file", "", "CSV files (*.csv *.txt);;All files (*)"
        )
        if name:
            self.file.setText(name)

    def isComplete(self) -> bool:
        return Path(self.file.text().strip()).is_file()

    def validatePage(self) -> bool:
        self._state.kind = "members" if self.members.isChecked() else "credits"
        self._state.path = Path(self.file.text().strip())
        self._state.encoding = self._state.delimiter = None
        try:
            self._state.look = look_at(self._state.path, self._state.kind)
        except DeskError as exc:
            self.error.setText(exc.message)
            return False
        self.error.clear()
        return True


class MappingPage(QWizardPage):
    def __init__(self, state: _State, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._combos: list[QComboBox] = []
        self.setTitle("Check the columns")
        self.setSubTitle('Say which column holds what. Columns marked "don\'t import" are skipped.')
        self.encoding = QComboBox(self)
        self.encoding.setObjectName("encodingField")
        self.encoding.addItems(ENCODINGS)
        self.delimiter = QComboBox(self)
        self.delimiter.setObjectName("delimiterField")
        for value, label in DELIMITERS:
            self.delimiter.addItem(label, value)
        self.detected = QLabel(self)
        self.detected.setObjectName("detectedFormat")
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.create_members = QCheckBox("Create members that aren't in Desk yet", self)
        self.create_members.setObjectName("createMissingMembers")
        self.create_types = QCheckBox("Create appointment types that don't exist yet", self)
        self.create_types.setObjectName("createMissingTypes")
        self.date_order = QComboBox(self)
        self.date_order.setObjectName("dateOrderField")
        self.date_order.addItem("Work it out from the file", None)
        self.date_order.addItem("Month first (12/31/2026)", "mdy")
        self.date_order.addItem("Day first (31/12/2026)", "dmy")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b42318;")
        fmt = QHBoxLayout()
        fmt.addWidget(QLabel("Encoding", self))
        fmt.addWidget(self.encoding)
        fmt.addWidget(QLabel("Separator", self))
        fmt.addWidget(self.delimiter)
        fmt.addWidget(self.detected, 1)
        dates = QHBoxLayout()
        dates.addWidget(QLabel("Dates", self))
        dates.addWidget(self.date_order, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(fmt)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.create_members)
        layout.addWidget(self.create_types)
        layout.addLayout(dates)
        layout.addWidget(self.error)
        self.encoding.activated.connect(self._reread)
        self.delimiter.activated.connect(self._reread)

    def initializePage(self) -> None:
        look = self._state.look
        assert look is not None
        self.encoding.setCurrentText(look.encoding)
        self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(look.delimiter)))
        names = {",": "comma", ";": "semicolon", "\t": "tab"}
        self.detected.setText(
            f"   detected {look.encoding}, {names.get(look.delimiter, look.delimiter)}; "
            f"{look.rows:,} rows"
        )
        credits = self._state.kind == "credits"
        for widget in (self.create_members, self.create_types, self.date_order):
            widget.setVisible(credits)
        self._fill_grid(look)

    def _reread(self) -> None:
        assert self._state.path is not None
        try:
            look = look_at(
                self._state.path,
                self._state.kind,
                encoding=self.encoding.currentText(),
                delimiter=self.delimiter.currentData(),
            )
        except DeskError as exc:
            self.error.setText(exc.message)
            return
        self.error.clear()
        self._state.look = look
        self._state.encoding = self.encoding.currentText()
        self._state.delimiter = self.delimiter.currentData()
        self._fill_grid(look)

    def _fill_grid(self, look: FileLook) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self._combos = []
        for col, title in enumerate(("Column in the file", "First rows", "Import as")):
            self.grid.addWidget(QLabel(f"<b>{title}</b>", self.grid_host), 0, col)
        fields = fields_for(self._state.kind)
        for index, header in enumerate(look.header):
            sample = ", ".join(s[index] for s in look.samples[:3] if s[index])[:60]
            combo = QComboBox(self.grid_host)
            combo.setObjectName(f"mapColumn{index}")
            combo.setAccessibleName(f"Import column {header} as")
            combo.addItem(IGNORE_LABEL, "ignore")
            for field in fields:
                combo.addItem(FIELD_LABELS.get(field, field), field)
            guessed = look.guessed.get(index)
            combo.setCurrentIndex(combo.findData(guessed) if guessed else 0)
            self.grid.addWidget(QLabel(header or "(no name)", self.grid_host), index + 1, 0)
            sample_label = QLabel(sample, self.grid_host)
            sample_label.setStyleSheet("color: #5b6170;")
            self.grid.addWidget(sample_label, index + 1, 1)
            self.grid.addWidget(combo, index + 1, 2)
            self._combos.append(combo)
        self.grid.setRowStretch(len(look.header) + 1, 1)

    def set_field(self, column: int, field: str) -> None:
        """Choose what a column is imported as (what picking in its combo does)."""
        combo = self._combos[column]
        combo.setCurrentIndex(combo.findData(field))

    def validatePage(self) -> bool:
        self._state.mapping = {
            i: str(c.currentData())
            for i, c in enumerate(self._combos)
            if c.currentData() != "ignore"
        }
        chosen = list(self._state.mapping.values())
        doubled = sorted({f for f in chosen if chosen.count(f) > 1})
        if doubled:
            labels = ", ".join(FIELD_LABELS.get(f, f) for f in doubled)
            self.error.setText(f"More than one column is imported as: {labels}.")
            return False
        self._state.create_members = self.create_members.isChecked()
        self._state.create_types = self.create_types.isChecked()
        self._state.date_order = self.date_order.currentData()
        self.error.clear()
        return True


class _TaskPage(QWizardPage):
    """A page that runs one background task and is complete when it ends well."""

    def __init__(self, ctx: DeskContext, state: _State, parent: QWidget | None = None) -> None:
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


class PreviewPage(_TaskPage):
    def __init__(self, ctx: DeskContext, state: _State, parent: QWidget | None = None) -> None:
        super().__init__(ctx, state, parent)
        self.setTitle("Check before importing")
        self.setSubTitle("Every row is checked; nothing is written yet.")
        self.status.setObjectName("previewSummary")
        self.problems = ProblemModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("previewTable")
        self.table.setAccessibleName("Problems found in the file")
        self.table.setModel(self.problems)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        self.problems.set_rows([])
        self.status.setText("Checking every row…")
        self._start(_import_task(self._ctx, self._state, self, dry_run=True))

    def _on_finished(self, outcome: Any) -> None:
        report: ImportReport = outcome.value
        self._state.preview = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.problems.set_rows(report.problems)
        parts = [f"{report.rows:,} rows read"]
        if report.errors:
            parts.append(f"{len(report.errors)} error(s) to fix in the file first")
        if report.warnings:
            parts.append(f"{len(report.warnings)} warning(s)")
        parts.append(f"{report.to_import:,} to import")
        if report.already_imported:
            parts.append(f"{report.already_imported:,} already imported")
        if report.created_members:
            parts.append(f"{report.created_members} new members")
        if report.created_types:
            parts.append(f"new types: {', '.join(report.created_types)}")
        self.status.setText("; ".join(parts) + ".")
        self._done = report.ok and report.to_import > 0
        self.completeChanged.emit()


class RunPage(_TaskPage):
    def __init__(self, ctx: DeskContext, state: _State, parent: QWidget | None = None) -> None:
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
        self._start(_import_task(self._ctx, self._state, self, dry_run=False))

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

    def __init__(self, ctx: DeskContext, state: _State, parent: QWidget | None = None) -> None:
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Double-click a member to open their profile:", self))
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        report = self._state.result
        assert report is not None
        what = "rows" if report.kind == "credits" else "members"
        extra = ""
        if report.created_members and report.kind == "credits":
            extra += f" {report.created_members} new members were created."
        if report.created_types:
            extra += f" New appointment types: {', '.join(report.created_types)}."
        self.summary.setText(
            f"Imported {report.to_import:,} {what} from {report.file_name}; "
            f"{report.already_imported:,} were already in Desk.{extra} "
            f"Import id {report.batch_id}: it can be undone while none of its credits are used."
        )
        self.members.set_rows(self._ctx.services.members.summaries(report.member_ids[:500]))


class ImportWizard(QWizard):
    """The whole import: one service underneath, the same as ``desk import``."""

    member_requested = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportWizard")
        self.setWindowTitle("Import")
        self.setMinimumSize(760, 560)
        self.state = _State()
        self.file_page = FilePage(self.state, self)
        self.mapping_page = MappingPage(self.state, self)
        self.preview_page = PreviewPage(ctx, self.state, self)
        self.run_page = RunPage(ctx, self.state, self)
        self.summary_page = SummaryPage(ctx, self.state, self)
        for page in (
            self.file_page,
            self.mapping_page,
            self.preview_page,
            self.run_page,
            self.summary_page,
        ):
            self.addPage(page)
        self.summary_page.member_requested.connect(self.member_requested)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.preview_page.setCommitPage(True)

    def reject(self) -> None:
        # Closing mid-import cancels it: the transaction rolls back, nothing is written.
        for page in (self.preview_page, self.run_page):
            if page.task is not None and page.task.is_running():
                page.task.cancel()
                page.task.wait(30)
        super().reject()
