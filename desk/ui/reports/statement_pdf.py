"""The member statement as a PDF or on a printer: Qt drawing a QTextDocument.

One or two pages in the desk's locale (dates and money from formatting.py): the
gym's name and logo, the member, open credits per type with their expiry,
Coming up, the last 90 days of history and the account balance. It needs a Qt
GUI application for fonts; the command line gets an offscreen one. Paper,
margins and tables are pdf_pages' (the reports print the same way).
"""

from __future__ import annotations

from datetime import tzinfo
from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from desk.services.reports.statement import Statement
from desk.services.selling.fees import FeeView
from desk.ui.reports.pdf_pages import (
    document_of,
    ensure_gui,
    html_table,
    page_image,
    print_document,
    write_pdf,
)
from desk.ui.widgets.formatting import (
    format_date,
    format_datetime,
    format_long_date,
    format_money,
    label,
)

_LOGO = QUrl("desk-statement://logo.png")


def statement_fees_html(fees: tuple[FeeView, ...], tz: tzinfo) -> str:
    """The statement's Fees section (late cancels and no-shows), or "" with none."""
    if not fees:
        return ""
    rows = [
        [format_datetime(f.at, tz), f.name.capitalize(),
         f"{f.appointment_type}, {format_datetime(f.starts_at, tz)}",
         format_money(f.amount_cents, f.currency), "waived" if f.waived else "charged"]
        for f in fees
    ]  # fmt: skip
    return "<h2>Fees</h2>" + html_table(rows, ["When", "Fee", "Session", "Amount", ""], {3})


def statement_html(statement: Statement, tz: tzinfo) -> str:
    """The statement as the HTML the PDF is drawn from (``tz`` is the gym's zone)."""
    member = statement.member
    parts = ["<html><body><table width='100%'><tr>"]
    if statement.logo_png is not None:
        parts.append(f"<td width='80'><img src='{_LOGO.toString()}' height='64'></td>")
    parts.append(
        f"<td><h1>{escape(statement.gym_name or 'Desk')}</h1>"
        f"Statement of {escape(format_long_date(statement.on))}</td></tr></table>"
    )
    contact = " · ".join(escape(x) for x in (member.email or "", member.phone or "") if x)
    parts.append(f"<h2>{escape(member.full_name)}</h2><p>Member #{member.id}"
                 f"{' · ' + contact if contact else ''}</p>")  # fmt: skip
    balance = statement.balance_cents
    owed = "owed" if balance < 0 else "in credit" if balance > 0 else "settled"
    parts.append(f"<p><b>Account balance: {escape(format_money(abs(balance)))} {owed}</b></p>")
    parts.append("<h2>Open credits</h2>")
    if statement.credits:
        rows = [
            [c.appointment_type, str(n), format_date(day, "never expire")]
            for c in statement.credits for day, n in c.expires
        ]  # fmt: skip
        totals = ", ".join(f"{c.appointment_type}: {c.open}" for c in statement.credits)
        parts.append(html_table(rows, ["Type", "Credits", "Expire"], {1}))
        parts.append(f"<p>In all: {escape(totals)}</p>")
    else:
        parts.append("<p>No open credits.</p>")
    parts.append("<h2>Coming up</h2>")
    if statement.coming_up:
        rows = [[format_datetime(a.starts_at, tz), a.appointment_type, a.staff_name]
                for a in statement.coming_up]  # fmt: skip
        parts.append(html_table(rows, ["When", "Type", "With"]))
    else:
        parts.append("<p>Nothing booked.</p>")
    parts.append(f"<h2>History since {escape(format_date(statement.history_from))}</h2>")
    if statement.history:
        rows = [
            [format_datetime(h.at, tz), label(h.kind.value), h.appointment_type,
             f"{h.credit_effect:+d}" if h.credit_effect else "", h.detail]
            for h in statement.history
        ]  # fmt: skip
        parts.append(html_table(rows, ["When", "What", "Type", "Credits", "Detail"], {3}))
    else:
        parts.append("<p>Nothing in the last 90 days.</p>")
    parts.append(statement_fees_html(statement.fees, tz))
    parts.append("</body></html>")
    return "".join(parts)


def statement_document(statement: Statement, tz: tzinfo) -> QTextDocument:
    """The statement laid out as a text document (the logo as an image resource)."""
    images = {}
    if statement.logo_png is not None:
        images[_LOGO] = QImage.fromData(statement.logo_png)
    return document_of(statement_html(statement, tz), images)


def statement_page_image(statement: Statement, tz: tzinfo, width: int = 900) -> QImage:
    """Page 1 as a picture ``width`` pixels wide on white (the README's screenshot)."""
    ensure_gui()
    return page_image(statement_document(statement, tz), width)


def _title(statement: Statement) -> str:
    return f"Statement: {statement.member.full_name}"


def write_statement_pdf(statement: Statement, path: Path, tz: tzinfo) -> int:
    """Write the statement to ``path`` as a PDF on the desk's paper (pdf_pages);
    returns its number of pages. Raises ValidationError when the file can't be
    written."""
    return write_pdf(statement_document(statement, tz), path, _title(statement))


def print_statement(statement: Statement, printer: QPrinter, tz: tzinfo) -> int:
    """Print the statement on ``printer`` (as the Print dialog set it); its pages."""
    return print_document(statement_document(statement, tz), printer, _title(statement))
