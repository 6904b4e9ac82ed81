"""The profile's "Statement" menu: Save as PDF… (ask where, write the file) or
Print… (the Print dialog, then the printer chosen).

The statement is gathered on the runner's read worker (its reads only); the page
is drawn on the GUI thread, where Qt's fonts live (a page or two: milliseconds).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QWidget

from desk.services.core.errors import DeskError
from desk.services.core.ids import MemberId
from desk.services.reports.statement import Statement, gather_statement
from desk.ui.reports.pdf_pages import new_printer
from desk.ui.reports.statement_pdf import print_statement, write_statement_pdf
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error


def _pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"


def _done(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, parent)  # fmt: skip
    box.setObjectName("statementSavedBox")
    box.exec()


def _gather(
    parent: QWidget, ctx: DeskContext, member_id: int, then: Callable[[Statement], None]
) -> None:
    services = ctx.services
    ctx.runner.read(
        (parent, "statement"),
        lambda: gather_statement(services, MemberId(member_id)),
        then,
        origin=parent,
    )


def save_statement(parent: QWidget, ctx: DeskContext, member_id: int) -> None:
    """Ask for a file name, then write the member's statement there as a PDF."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save statement as PDF", f"statement-{member_id}.pdf", "PDF files (*.pdf)"
    )
    if not name:
        return
    target = Path(name)

    def write(statement: Statement) -> None:
        try:
            pages = write_statement_pdf(statement, target, ctx.services.clock.tz)
        except DeskError as exc:
            show_error(parent, exc, "Can't save the statement")
            return
        who = statement.member.full_name
        _done(parent, "Statement saved", f"{who}'s statement ({_pages(pages)}) is in {target}.")

    _gather(parent, ctx, member_id, write)


def print_member_statement(parent: QWidget, ctx: DeskContext, member_id: int) -> None:
    """Open the Print dialog, then print the member's statement on the printer chosen."""
    printer = new_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("statementPrintDialog")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return

    def send(statement: Statement) -> None:
        pages = print_statement(statement, printer, ctx.services.clock.tz)
        _done(parent, "Statement printed",
              f"{statement.member.full_name}'s statement ({_pages(pages)}) went to "
              f"{printer.printerName() or printer.outputFileName()}.")  # fmt: skip

    _gather(parent, ctx, member_id, send)


def statement_menu(parent: QWidget, ctx: DeskContext, member_id: Callable[[], int]) -> QMenu:
    """The Statement button's menu: Save as PDF… and Print… for the member shown."""
    menu = QMenu(parent)
    menu.setObjectName("statementMenu")
    save = QAction("Save as PDF…", menu)
    save.setObjectName("saveStatementPdf")
    save.triggered.connect(lambda: save_statement(parent, ctx, member_id()))
    send = QAction("Print…", menu)
    send.setObjectName("printStatement")
    send.triggered.connect(lambda: print_member_statement(parent, ctx, member_id()))
    menu.addAction(save)
    menu.addAction(send)
    return menu
