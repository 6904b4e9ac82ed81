"""A first look at a file for the import wizard: format, columns, a few rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desk.services.importing.csv_file import read_csv
from desk.services.importing.fields import (
    APPOINTMENT_FIELDS,
    CREDIT_FIELDS,
    MEMBER_FIELDS,
    map_columns,
)

FIELD_LABELS = {
    "name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "external_id": "Member id (previous system)",
    "notes": "Notes",
    "note": "Note",
    "appointment_type": "Appointment type",
    "quantity": "Number of credits",
    "expires_on": "Expiry date",
    "price": "Price paid",
    "value": "Value of the credits left",
    "unit_price": "Price of one credit",
    "purchased": "Credits bought",
    "staff": "Coach / staff member",
    "starts_at": "Starts at",
    "ends_at": "Ends at",
    "status": "Status",
    "credit_value": "Value of the credit",
    "credit_expires": "Credit expires",
}


@dataclass(frozen=True)
class FileLook:
    header: list[str]
    samples: list[list[str]]
    """The first rows, each padded to the header's width."""
    rows: int
    encoding: str
    delimiter: str
    guessed: dict[int, str]
    """column index -> field, as the header matching would read it."""


IMPORT_KINDS = ("credits", "members", "appointments")
"""What the wizard imports, as ``ImportReport.kind`` names them."""


def fields_for(kind: str) -> tuple[str, ...]:
    """The fields a file of ``kind`` (one of IMPORT_KINDS) can map its columns to."""
    return {"members": MEMBER_FIELDS, "appointments": APPOINTMENT_FIELDS}.get(kind, CREDIT_FIELDS)


def look_at(
    path: Path, kind: str, *, encoding: str | None = None, delimiter: str | None = None
) -> FileLook:
    """Read ``path`` and guess its columns. Raises ValidationError if it can't be read."""
    table = read_csv(path, encoding=encoding, delimiter=delimiter)
    mapping = map_columns(table.header, fields_for(kind), {})
    width = len(table.header)
    samples = [(cells + [""] * width)[:width] for _line, cells in table.rows[:5]]
    return FileLook(
        header=table.header,
        samples=samples,
        rows=len(table.rows),
        encoding=table.encoding,
        delimiter=table.delimiter,
        guessed={index: field for field, index in mapping.columns.items()},
    )
