"""What an import found and did, row by row."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Remedy(StrEnum):
    """An import option that would settle a problem. Each front end names it its own
    way: the command line as a flag, the wizard as the control that sets it."""

    DATE_ORDER = "date_order"
    CREATE_MEMBERS = "create_missing_members"
    CREATE_TYPES = "create_missing_types"


@dataclass(frozen=True)
class Problem:
    row: int
    """The line of the file where the row starts (the header is line 1)."""
    column: str
    value: str
    message: str
    severity: Severity = Severity.ERROR
    remedy: Remedy | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        shown = f" ({self.value!r})" if self.value else ""
        return f"{where}{shown}: {self.message}"


@dataclass(frozen=True)
class ImportOptions:
    encoding: str | None = None
    delimiter: str | None = None
    mappings: tuple[str, ...] = ()
    """``SOURCE_COLUMN=FIELD`` pairs that override the header matching."""
    date_order: str | None = None
    """"mdy" or "dmy" for dates like 03/04/2026; None: settle it from the file."""
    create_missing_members: bool = False
    create_missing_types: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file_name: str
    encoding: str
    delimiter: str
    columns: dict[str, str]
    """field -> the file's column it was read from."""
    rows: int
    to_import: int
    already_imported: int
    problems: list[Problem] = field(default_factory=list)
    created_members: int = 0
    created_types: list[str] = field(default_factory=list)
    batch_id: str | None = None
    written: bool = False
    member_ids: list[int] = field(default_factory=list)
    """Members the rows concern (found or created), for "show me who"."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors
