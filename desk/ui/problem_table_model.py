"""Rows of an import preview: each problem with its row, column and value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desk.services.importing.report import Problem, Severity
from desk.ui.table_model import Column, RowTableModel

COL_ROW, COL_COLUMN, COL_VALUE, COL_PROBLEM = range(4)
_ERROR = QBrush(QColor("#fde8e7"))
_WARNING = QBrush(QColor("#fff4d6"))


class ProblemModel(RowTableModel[Problem]):
    columns = (
        Column[Problem]("Row", lambda p: str(p.row), lambda p: p.row, numeric=True),
        Column[Problem]("Column", lambda p: p.column),
        Column[Problem]("Value", lambda p: p.value),
        Column[Problem](
            "Problem",
            lambda p: ("Warning: " if p.severity == Severity.WARNING else "") + p.message,
        ),
    )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            severity = self.row_at(index.row()).severity
            return _ERROR if severity == Severity.ERROR else _WARNING
        return super().data(index, role)
