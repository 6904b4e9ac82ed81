"""A report on paper: the gym's name, the report's title, its period and filters,
its chart and its table with the totals, as a PDF file or on a printer.

The page rules (paper, margins, style, tables) are pdf_pages', shared with the
member statement; the chart is report_chart's own drawing; every cell is written
as the Reports page writes it (report_table_model.cell_text), so the paper and
the screen show the same figures. Used by the Reports page and ``desk report NAME
--pdf FILE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from desk.services.reports.service import REPORT_TITLES, REPORTS
from desk.services.reports.tables import ReportTable
from desk.ui.reports.pdf_pages import (
    document_of,
    html_table,
    page_image,
    print_document,
    write_pdf,
)
from desk.ui.reports.report_chart import chart_bars, chart_height, chart_image
from desk.ui.reports.report_table_model import cell_text
from desk.ui.widgets.formatting import format_date_range, format_long_date

_CHART = QUrl("desk-report://chart.png")
_TOTAL_WORDS = {"total", "all coaches", "closing value"}
WIDE_COLUMNS = 7  # a table of more columns goes on a turned page
CHART_WIDTH = 640


@dataclass(frozen=True, slots=True)
class ReportPage:
    """What heads the printed report besides the table itself."""

    gym_name: str
    title: str
    """The report's name and its period or day, as the page shows it."""
    filters: str = ""
    """What it is narrowed to ("PT; archived members"), empty for everything."""


def report_title(name: str, *, first: date, last: date, as_of: date, days: int) -> str:
    """The report's name (REPORT_TITLES) and its period or day in the desk's locale,
    as the Reports page and the printed page head it."""
    takes, title = REPORTS[name], REPORT_TITLES[name]
    if "range" in takes:
        return f"{title}, {format_date_range(first, last)}"
    if "days" in takes:
        return f"{title}, {format_date_range(as_of, as_of + timedelta(days=days))}"
    return f"{title}, {format_long_date(as_of)}"


def total_rows(table: ReportTable) -> set[int]:
    """Rows that are totals (printed bold): "Total", "All coaches", "Closing value"."""
    return {
        i for i, row in enumerate(table.rows)
        if any(isinstance(c, str) and c.strip().lower() in _TOTAL_WORDS for c in row[:2])
    }  # fmt: skip


def is_wide(table: ReportTable) -> bool:
    return len(table.header) > WIDE_COLUMNS


def report_html(table: ReportTable, tz: tzinfo, page: ReportPage, *, chart: bool) -> str:
    parts = [f"<html><body><h1>{escape(page.gym_name or 'Desk')}</h1>",
             f"<h2>{escape(page.title)}</h2>"]  # fmt: skip
    if page.filters:
        parts.append(f"<p>Only: {escape(page.filters)}</p>")
    if chart:
        height = chart_height(chart_bars(table.chart))
        parts.append(f"<p><img src='{_CHART.toString()}' width='{CHART_WIDTH}' "
                     f"height='{height}'></p>")  # fmt: skip
    cells = [[cell_text(c, tz) for c in row] for row in table.rows]
    if cells:
        parts.append(html_table(cells, list(table.header), table.numeric, total_rows(table)))
    else:
        parts.append("<p>Nothing in this report.</p>")
    parts.append("</body></html>")
    return "".join(parts)


def report_document(table: ReportTable, tz: tzinfo, page: ReportPage) -> QTextDocument:
    """The report laid out for paper (its chart as an image resource)."""
    bars = chart_bars(table.chart)
    images = {_CHART: chart_image(bars, table.chart_money, CHART_WIDTH)} if bars else {}
    return document_of(report_html(table, tz, page, chart=bool(bars)), images)


def report_page_image(table: ReportTable, tz: tzinfo, page: ReportPage, width: int = 900) -> QImage:
    """Page 1 as a picture (the guide's screenshot of a printed report)."""
    return page_image(report_document(table, tz, page), width)


def write_report_pdf(table: ReportTable, path: Path, tz: tzinfo, page: ReportPage) -> int:
    """Write the report to ``path`` as a PDF; returns its number of pages. Raises
    ValidationError when the file can't be written."""
    return write_pdf(report_document(table, tz, page), path, page.title, wide=is_wide(table))


def print_report(table: ReportTable, printer: QPrinter, tz: tzinfo, page: ReportPage) -> int:
    """Print the report on ``printer`` (as the Print dialog set it); its pages."""
    return print_document(report_document(table, tz, page), printer, page.title)
