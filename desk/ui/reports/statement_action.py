"""The profile's "Statement…": ask where, gather the statement, write its PDF.

The statement is gathered on the runner's read worker (its reads only); the PDF
is drawn on the GUI thread, where Qt's fonts live (a page or two: milliseconds).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desk.services.core.errors import DeskError
from desk.services.core.ids import MemberId
from desk.services.reports.statement import Statement, gather_statement
from desk.ui.reports.statement_pdf import write_statement_pdf
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error


def save_statement(parent: QWidget, ctx: DeskContext, member_id: int) -> None:
    """Ask for a file name, then write the member's statement there as a PDF."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save statement as PDF", f"statement-{member_id}.pdf", "PDF files (*.pdf)"
    )
    if not name:
        return
    target = Path(name)
    services = ctx.services

    def write(statement: Statement) -> None:
        try:
            pages = write_statement_pdf(statement, target, services.clock.tz)
        except DeskError as exc:
            show_error(parent, exc, "Can't save the statement")
            return
        box = QMessageBox(QMessageBox.Icon.Information, "Statement saved",
                          f"{statement.member.full_name}'s statement ({pages} page"
                          f"{'s' if pages != 1 else ''}) is in {target}.",
                          QMessageBox.StandardButton.Ok, parent)  # fmt: skip
        box.setObjectName("statementSavedBox")
        box.exec()

    ctx.runner.read(
        (parent, "statement"),
        lambda: gather_statement(services, MemberId(member_id)),
        write,
        origin=parent,
    )
