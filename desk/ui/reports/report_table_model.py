"""A report's table on screen: its cells formatted in the desk's locale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from desk.services.reports.tables import Cell, Cents, Month, ReportTable
from desk.ui.widgets.formatting import format_date, format_datetime, format_money, format_month
from desk.ui.widgets.table_model import Column, RowTableModel

Row = tuple[Cell, ...]


def cell_text(cell: Cell, tz: tzinfo) -> str:
    """A report cell as the desk shows it (money, dates and times in its locale)."""
    if cell is None:
        return ""
    if isinstance(cell, Cents):
        return format_money(int(cell))
    if isinstance(cell, datetime):
        return format_datetime(cell, tz)
    if isinstance(cell, Month):
        return format_month(cell)
    if isinstance(cell, date):
        return format_date(cell)
    return str(cell)


def _sort_key(cell: Cell) -> Any:
    if cell is None:
        return (0, "")
    if isinstance(cell, int | date | datetime):
        return (1, cell)
    return (2, str(cell).lower())


class ReportTableModel(RowTableModel[Row]):
    """Rows of one ReportTable; ``show`` swaps in another report (columns and all)."""

    def __init__(self, tz: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.columns = ()
        self.table: ReportTable | None = None

    def _column(self, index: int, title: str, numeric: bool) -> Column[Row]:
        text: Callable[[Row], str] = lambda row: cell_text(row[index], self._tz)  # noqa: E731
        return Column(title, text, lambda row: _sort_key(row[index]), numeric=numeric)

    def show(self, table: ReportTable) -> None:
        self.table = table
        self.columns = tuple(
            self._column(i, title, i in table.numeric) for i, title in enumerate(table.header)
        )
        self.set_rows(table.rows)
