"""Saving an import's report CSV (what became of every row) where the person says."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desk.services.core.errors import DeskError
from desk.services.importing.report import ImportReport
from desk.services.records.exports import write_import_report
from desk.ui.shell.messages import show_error


def save_report(parent: QWidget, report: ImportReport) -> Path | None:
    """Ask where, then write the report CSV of ``report``; the path, or None."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save the import report", f"{Path(report.file_name).stem}-report.csv",
        "CSV files (*.csv)",
    )  # fmt: skip
    if not name:
        return None
    try:
        write_import_report(Path(name), report)
    except DeskError as exc:
        show_error(parent, exc)
        return None
    return Path(name)
