"""Rows of an import preview: each problem with its row, column and value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk.services.importing.report import Problem, Remedy, Severity
from desk.ui.widgets.table_model import Column, RowTableModel

COL_ROW, COL_COLUMN, COL_VALUE, COL_PROBLEM = range(4)
# What settles a problem, named as the wizard's own controls (the CLI names flags).
WIZARD_REMEDIES = {
    Remedy.DATE_ORDER: "go Back and choose the order under Dates",
    Remedy.CREATE_MEMBERS: "or go Back and tick “Create members that aren't in Desk yet”",
    Remedy.CREATE_TYPES: "go Back to the Types page and choose its Desk type, or create it",
}


def problem_text(problem: Problem) -> str:
    """The problem as the wizard shows it, with what to change in the wizard to settle it."""
    warning = "Warning: " if problem.severity == Severity.WARNING else ""
    remedy = f"; {WIZARD_REMEDIES[problem.remedy]}" if problem.remedy else ""
    return f"{warning}{problem.message}{remedy}"


_ERROR = QBrush(QColor("#fde8e7"))
_WARNING = QBrush(QColor("#fff4d6"))


class ProblemModel(RowTableModel[Problem]):
    columns = (
        Column[Problem]("Row", lambda p: str(p.row), lambda p: p.row, numeric=True),
        Column[Problem]("Column", lambda p: p.column),
        Column[Problem]("Value", lambda p: p.value),
        Column[Problem]("Problem", problem_text),
    )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            severity = self.row_at(index.row()).severity
            return _ERROR if severity == Severity.ERROR else _WARNING
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return problem_text(self.row_at(index.row()))  # a long one is elided in its cell
        return super().data(index, role)
