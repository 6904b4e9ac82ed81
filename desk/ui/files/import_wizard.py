"""File > Import: pick a file, check its columns, preview problems, import, summary."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from desk.ui.files.import_file_pages import FilePage, MappingPage
from desk.ui.files.import_preview_page import PreviewPage
from desk.ui.files.import_run_pages import RunPage, SummaryPage
from desk.ui.files.import_types_page import TypesPage
from desk.ui.files.import_wizard_state import ImportState
from desk.ui.shell.context import DeskContext


class ImportWizard(QWizard):
    """The whole import: one service underneath, the same as ``desk import``."""

    member_requested = Signal(int)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportWizard")
        self.setWindowTitle("Import")
        self.setMinimumSize(760, 560)
        self.state = ImportState()
        self.file_page = FilePage(self.state, self)
        self.mapping_page = MappingPage(self.state, self)
        self.types_page = TypesPage(ctx, self.state, self)
        self.preview_page = PreviewPage(ctx, self.state, self)
        self.run_page = RunPage(ctx, self.state, self)
        self.summary_page = SummaryPage(ctx, self.state, self)
        for page in (
            self.file_page,
            self.mapping_page,
            self.types_page,
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

    def nextId(self) -> int:
        # A members file has no types to match: from its columns straight to the check.
        if self.currentPage() is self.mapping_page and self.state.kind == "members":
            return self.pageIds()[self.pageIds().index(self.currentId()) + 2]
        return super().nextId()

    def reject(self) -> None:
        # Closing mid-import cancels it: the transaction rolls back, nothing is written.
        for page in (self.preview_page, self.run_page):
            if page.task is not None and page.task.is_running():
                page.task.cancel()
                page.task.wait(30)
        super().reject()
