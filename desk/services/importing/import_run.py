"""What every import run shares: reading its file, writing in chunks, being cancelled."""

from __future__ import annotations

from pathlib import Path

from desk.services.core.errors import DeskError
from desk.services.importing.csv_file import CsvTable, read_csv, read_csv_bytes
from desk.services.importing.report import ImportOptions

CHUNK = 5_000


class ImportCancelled(DeskError):
    """The person cancelled; nothing was written."""


def load_source(source: Path | bytes, options: ImportOptions) -> tuple[CsvTable, str]:
    if isinstance(source, Path):
        return read_csv(source, encoding=options.encoding, delimiter=options.delimiter), source.name
    return read_csv_bytes(source, encoding=options.encoding, delimiter=options.delimiter), "upload"
