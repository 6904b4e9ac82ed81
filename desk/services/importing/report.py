"""What an import found and did, row by row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from desk.services.core.read_models import PaidBooking


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


class RowStatus(StrEnum):
    """What became of one row of the file (the report CSV's "Outcome")."""

    IMPORTED = "imported"
    TO_IMPORT = "to import"
    ALREADY_IMPORTED = "already imported"
    NOTHING_REMAINING = "skipped: nothing remaining"
    LEFT_OUT = "left out"
    NOT_BOOKED = "skipped: past or not booked"
    ERROR = "error"


@dataclass(frozen=True)
class RowOutcome:
    """One row of the file as the preview and the report CSV show it."""

    line: int
    status: RowStatus
    member: str = ""
    appointment_type: str = ""
    credits: int = 0
    expires_on: date | None = None
    value_cents: int = 0
    detail: str = ""


@dataclass(frozen=True)
class TypeTotal:
    appointment_type: str
    rows: int
    credits: int
    value_cents: int


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
    type_map: tuple[str, ...] = ()
    """``NAME_IN_FILE=DESK_TYPE`` pairs; added to (and winning over) the mapping
    remembered for the file's source system."""
    source_system: str | None = None
    """Whose export this is ("mindbody", ...); None: told from the header."""
    leave_out: tuple[tuple[int, str], ...] = ()
    """(line, why) of rows the person chose to leave out."""


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
    outcomes: list[RowOutcome] = field(default_factory=list)
    """Every row of the file and what became of it, in the file's order."""
    ignored_columns: list[str] = field(default_factory=list)
    """Columns of the file no field was read from."""
    source_system: str = ""
    type_map: dict[str, str] = field(default_factory=dict)
    """Name in the file -> Desk type, as applied (remembered plus given)."""
    paid_unpaid: tuple[PaidBooking, ...] = ()
    """Unpaid bookings the imported credits settled (desk/services/credits/settle_unpaid.py)."""

    def count(self, status: RowStatus) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def left_out(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.status == RowStatus.LEFT_OUT]

    def totals_by_type(self) -> list[TypeTotal]:
        """Rows, credits and value per type of the rows that go (or went) in."""
        going = (RowStatus.IMPORTED, RowStatus.TO_IMPORT)
        totals: dict[str, list[int]] = {}
        for o in self.outcomes:
            if o.status in going:
                t = totals.setdefault(o.appointment_type, [0, 0, 0])
                t[0] += 1
                t[1] += o.credits
                t[2] += o.value_cents
        return [TypeTotal(name, *t) for name, t in sorted(totals.items())]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors
