"""What every credits-like row reader shares: whose row it is, which type it is for,
and the problems it found (nothing is written here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from desk.services.core.errors import ValidationError
from desk.services.core.validation import MAX_TEXT, clean_email, clean_text
from desk.services.importing.csv_file import CsvTable
from desk.services.importing.directory import MemberDirectory, name_key, text_key
from desk.services.importing.fields import Mapping
from desk.services.importing.report import Problem, Remedy, Severity

Get = Callable[[str], str]


@dataclass(frozen=True)
class NewMember:
    """A member a row needs that doesn't exist yet (--create-missing-members)."""

    key: str
    first_name: str
    last_name: str
    email: str | None
    external_id: str | None


@dataclass(frozen=True)
class Whose:
    """The member a row is for: found (``member_id``) or to be created (``new_member``)."""

    member_id: int | None
    new_member: NewMember | None
    identity: str
    """What the row said about the member, for its idempotency key."""
    shown: str
    """The member's name as the preview shows it."""


def cell(cells: list[str], mapping: Mapping, field: str) -> str:
    index = mapping.columns.get(field)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def split_name(full: str) -> tuple[str, str]:
    # "Smith, Ann" is how several systems export names.
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip(), last.strip()
    parts = full.split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


class KeyedRow(Protocol):
    """A frozen dataclass row whose ``idempotency_key`` is, until ``read`` numbers
    it, the digest of what the row says."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def idempotency_key(self) -> str: ...


Row = TypeVar("Row", bound=KeyedRow)


class RowReader(Generic[Row]):
    """Problems, members and appointment types, for the readers of credits-like rows.

    ``read`` reads every row not ``left_out`` with the subclass's ``_read_row``.
    """

    KIND = ""
    """What the keys are of: "credits" or "appointments"."""

    def __init__(
        self,
        table: CsvTable,
        mapping: Mapping,
        directory: MemberDirectory,
        types: dict[str, str],
        *,
        type_map: dict[str, str],
        create_missing_members: bool,
        create_missing_types: bool,
        left_out: frozenset[int] = frozenset(),
    ) -> None:
        self._table = table
        self._left_out = left_out
        self.rows: list[Row] = []
        self._mapping = mapping
        self._directory = directory
        self._types = types  # casefolded name -> name as stored
        self._type_map = type_map  # casefolded name in the file -> Desk type name
        self._create_members = create_missing_members
        self._create_types = create_missing_types
        self.problems: list[Problem] = []
        self.new_types: dict[str, str] = {}
        self._new_members: dict[str, NewMember] = {}
        self._errors = 0  # counted, not recounted per row: 100,000 warnings stay linear

    def read(self) -> None:
        seen: Counter[str] = Counter()
        for line, cells in self._table.rows:
            if line in self._left_out:
                continue
            row = self._read_row(line, cells)
            if row is None:
                continue
            # Two identical rows are two purchases; the count keeps their keys apart
            # while a re-import of the same file finds the same keys again.
            seen[row.idempotency_key] += 1
            key = f"import:{self.KIND}:{row.idempotency_key}:{seen[row.idempotency_key]}"
            self.rows.append(replace(row, idempotency_key=key))

    def _read_row(self, line: int, cells: list[str]) -> Row | None:
        raise NotImplementedError

    def _problem(
        self,
        line: int,
        field: str,
        value: str,
        message: str,
        severity: Severity = Severity.ERROR,
        remedy: Remedy | None = None,
    ) -> None:
        column = self._mapping.column_name(field) if field in self._mapping.columns else ""
        self.problems.append(Problem(line, column, value, message, severity, remedy))
        if severity == Severity.ERROR:
            self._errors += 1

    def _note(self, line: int, get: Get) -> str:
        """The row's note, checked as the add credits dialog checks one ("" on a problem)."""
        try:
            return clean_text(get("note"), "note", max_length=MAX_TEXT)
        except ValidationError as exc:
            self._problem(line, "note", get("note")[:40], exc.message)
            return ""

    def _name_field(self) -> str:
        """The column a problem about the member's name points at."""
        columns = self._mapping.columns
        return next((f for f in ("name", "last_name", "first_name") if f in columns), "name")

    def _type(self, line: int, type_raw: str) -> tuple[str, str]:
        """(type key, Desk type name) of the row's type, after the type mapping;
        ("", "") with a problem when it can't be settled."""
        mapped = self._type_map.get(text_key(type_raw))
        target = mapped or type_raw
        type_key = text_key(target)
        type_name = self._types.get(type_key) or self.new_types.get(type_key, "")
        if not type_raw:
            self._problem(line, "appointment_type", "", "no appointment type")
            return "", ""
        if type_name:
            return type_key, type_name
        if self._create_types:
            try:
                name = clean_text(" ".join(target.split()), "appointment_type")
                return type_key, self.new_types.setdefault(type_key, name)
            except ValidationError as exc:
                self._problem(line, "appointment_type", type_raw, exc.message)
                return "", ""
        known = ", ".join(sorted(self._types.values())) or "none yet"
        mapped_note = f" (mapped to {mapped!r})" if mapped else ""
        self._problem(
            line, "appointment_type", type_raw,
            f"unknown appointment type{mapped_note} (known: {known}); map it to one",
            remedy=Remedy.CREATE_TYPES,
        )  # fmt: skip
        return "", ""

    def _member(self, line: int, get: Get) -> Whose:
        external_id = get("external_id")
        email_raw = get("email")
        full = get("name") or f"{get('first_name')} {get('last_name')}".strip()
        if get("name"):
            first, last = split_name(full)
        else:
            first, last = get("first_name"), get("last_name")
        identity = "|".join((external_id, email_raw.casefold(), name_key(first, last)))
        shown = f"{first} {last}".strip() or email_raw or external_id

        def none() -> Whose:
            return Whose(None, None, identity, shown)

        d = self._directory
        if external_id and external_id in d.by_external_id:
            return Whose(d.by_external_id[external_id], None, identity, shown)
        if email_raw:
            matches = d.by_email.get(email_raw.casefold(), [])
            if len(matches) > 1:
                self._problem(
                    line, "email", email_raw,
                    f"{len(matches)} members have this email; add a member id column to choose",
                )  # fmt: skip
                return none()
            if matches:
                return Whose(matches[0], None, identity, shown)
        if first or last:
            matches = d.by_name.get(name_key(first, last), [])
            if len(matches) > 1:
                self._problem(
                    line, self._name_field(), full,
                    f"{len(matches)} members are called {full}; add an email or member id column",
                )  # fmt: skip
                return none()
            if matches:
                return Whose(matches[0], None, identity, shown)
        if not (external_id or email_raw or first or last):
            self._problem(line, "", "", "the row doesn't say which member it is for")
            return none()
        if not self._create_members:
            field, label, value = (
                ("external_id", "external id", external_id) if external_id
                else ("email", "email", email_raw) if email_raw
                else (self._name_field(), "name", full)
            )  # fmt: skip
            self._problem(
                line, field, value, f"no member with this {label} (add them first)",
                remedy=Remedy.CREATE_MEMBERS,
            )  # fmt: skip
            return none()
        if not (first or last):
            self._problem(line, self._name_field(), "", "a new member needs a name")
            return none()
        # A new member's details are checked as if typed into the member dialog.
        try:
            first = clean_text(first, "first_name")
            last = clean_text(last, "last_name")
        except ValidationError as exc:
            self._problem(line, self._name_field(), full, exc.message)
            return none()
        try:
            external_id = clean_text(external_id, "external_id")
        except ValidationError as exc:
            self._problem(line, "external_id", external_id[:40], exc.message)
            return none()
        email = None
        if email_raw:
            try:
                email = clean_email(email_raw)
            except ValidationError as exc:
                self._problem(line, "email", email_raw, exc.message)
                return none()
        key = external_id or (email or "") or name_key(first, last)
        new = self._new_members.setdefault(
            key, NewMember(key, first, last, email, external_id or None)
        )
        return Whose(None, new, identity, shown)
