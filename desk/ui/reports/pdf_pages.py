"""What every printed page of the desk shares: paper, margins, style, tables, writing.

The statement and every report are a QTextDocument drawn from HTML; this module
holds the one set of page rules for both: Letter paper in the United States and
Canada, A4 elsewhere (the desk's locale), 15 mm margins, the same style sheet and
tables, and the two ways out: a PDF file (QPdfWriter) or a printer (QPrinter,
which the Print dialog set up). It needs a Qt GUI application for fonts; the
command line gets an offscreen one.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QUrl
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from desk.services.core.errors import ValidationError

STYLE = (
    "body { font-family: sans-serif; font-size: 10pt; }"
    "h1 { font-size: 18pt; margin: 0; } h2 { font-size: 12pt; margin-top: 14px; }"
    "table { border-collapse: collapse; } th { text-align: left; background: #eeeeee; }"
    "td, th { padding: 2px 8px 2px 0; } td.n { text-align: right; } th.n { text-align: right; }"
    "tr.total td { font-weight: bold; border-top: 1px solid #888888; }"
)


def ensure_gui() -> None:
    """A Qt application for fonts, offscreen when there is none (the command line)."""
    if QGuiApplication.instance() is None:
        # A full QApplication, not a QGuiApplication, so widgets made later in the
        # same process still work.
        QApplication(["desk", "-platform", "offscreen"])


def page_layout(*, wide: bool = False) -> QPageLayout:
    """Letter in the United States and Canada, A4 elsewhere; 15 mm margins; ``wide``
    turns the page (a table of many columns)."""
    letter = QLocale().territory() in (QLocale.Country.UnitedStates, QLocale.Country.Canada)
    size = QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4
    turned = QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(size), turned, QMarginsF(15, 15, 15, 15),
                       QPageLayout.Unit.Millimeter)  # fmt: skip


def html_table(
    cells: list[list[str]],
    header: list[str],
    numeric: set[int] | frozenset[int] | None = None,
    totals: set[int] | None = None,
) -> str:
    """Rows as an HTML table: ``numeric`` columns right-aligned, ``totals`` rows bold."""
    numeric = numeric or set()
    totals = totals or set()

    def cell(tag: str, i: int, text: str) -> str:
        kind = " class='n'" if i in numeric else ""
        return f"<{tag}{kind}>{escape(text)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        ("<tr class='total'>" if r in totals else "<tr>")
        + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>"
        for r, row in enumerate(cells)
    )  # fmt: skip
    return f"<table width='100%'><tr>{head}</tr>{body}</table>"


def document_of(html: str, images: dict[QUrl, QImage] | None = None) -> QTextDocument:
    """``html`` laid out as a text document, with ``images`` as its image resources."""
    ensure_gui()
    document = QTextDocument()
    document.setDefaultStyleSheet(STYLE)
    for url, image in (images or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, url, image)
    document.setHtml(html)
    return document


def page_image(document: QTextDocument, width: int = 900) -> QImage:
    """Page 1 as a picture ``width`` pixels wide on white (the screenshots); A4's
    proportions, 30-pixel margins."""
    document.setTextWidth(width - 60)
    height = int(width * 297 / 210)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    painter = QPainter(image)
    painter.translate(30, 30)
    document.drawContents(painter)
    painter.end()
    return image


def _print(document: QTextDocument, device: QPagedPaintDevice) -> int:
    document.print_(device)
    return document.pageCount()


def write_pdf(document: QTextDocument, path: Path, title: str, *, wide: bool = False) -> int:
    """Write ``document`` to ``path`` as a PDF on the desk's paper; its number of pages.
    Raises ValidationError when the file can't be written."""
    ensure_gui()
    target = Path(path)
    if target.is_dir() or not target.parent.exists():
        raise ValidationError("file", f"Can't write {target}: give a file in an existing folder.")
    writer = QPdfWriter(str(target))
    writer.setPageLayout(page_layout(wide=wide))
    writer.setTitle(title)
    writer.setCreator("Desk")
    pages = _print(document, writer)
    del writer  # finishes the file
    if not target.exists():
        raise ValidationError("file", f"Can't write {target}.")
    return pages


def new_printer(*, wide: bool = False) -> QPrinter:
    """A printer set to the desk's paper and margins (the Print dialog may change them)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(wide=wide))
    printer.setCreator("Desk")
    return printer


def print_document(document: QTextDocument, printer: QPrinter, title: str) -> int:
    """Send ``document`` to ``printer`` (as the Print dialog left it); its pages."""
    printer.setDocName(title)
    return _print(document, printer)
