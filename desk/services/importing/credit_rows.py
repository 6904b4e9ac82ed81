"""Reading, checking and matching the rows of a credits file (nothing is written here)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from desk.services.core.errors import ValidationError
from desk.services.core.validation import MAX_TEXT, clean_email, clean_text
from desk.services.importing.csv_file import CsvTable
from desk.services.importing.directory import MemberDirectory, name_key, text_key
from desk.services.importing.fields import Mapping
from desk.services.importing.report import Problem, Remedy, Severity
from desk.services.importing.values import (
    ValueProblem,
    date_order_of,
    parse_amount,
    parse_date,
    parse_quantity,
)


@dataclass(frozen=True)
class NewMember:
    """A member a row needs that doesn't exist yet (--create-missing-members)."""

    key: str
    first_name: str
    last_name: str
    email: str | None
    external_id: str | None


@dataclass(frozen=True)
class CreditRow:
    line: int
    member_id: int | None
    new_member: NewMember | None
    type_key: str
    type_name: str
    quantity: int
    expires_on: date | None
    price_cents: int
    note: str
    idempotency_key: str


def settle_date_order(table: CsvTable, mapping: Mapping, chosen: str | None) -> str | None:
    """The date order for the file: the one asked for, or the one its dates prove."""
    if chosen or "expires_on" not in mapping.columns:
        return chosen
    index = mapping.columns["expires_on"]
    seen = {date_order_of(cells[index]) for _line, cells in table.rows if index < len(cells)}
    seen.discard(None)
    return seen.pop() if len(seen) == 1 else None


def _cell(cells: list[str], mapping: Mapping, field: str) -> str:
    index = mapping.columns.get(field)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _split_name(full: str) -> tuple[str, str]:
    # "Smith, Ann" is how several systems export names.
    if "," in full:
        last, _, first = full.partition(",")
        return first.strip(), last.strip()
    parts = full.split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


class CreditRowReader:
    """Turns a mapped table into CreditRows and Problems."""

    def __init__(
        self,
        table: CsvTable,
        mapping: Mapping,
        directory: MemberDirectory,
        types: dict[str, str],
        *,
        date_order: str | None,
        today: date,
        create_missing_members: bool,
        create_missing_types: bool,
    ) -> None:
        self._table = table
        self._mapping = mapping
        self._directory = directory
        self._types = types  # casefolded name -> name as stored
        self._date_order = date_order
        self._today = today
        self._create_members = create_missing_members
        self._create_types = create_missing_types
        self.problems: list[Problem] = []
        self.rows: list[CreditRow] = []
        self.new_types: dict[str, str] = {}
        self._new_members: dict[str, NewMember] = {}
        self._errors = 0  # counted, not recounted per row: 100,000 warnings stay linear

    def read(self) -> None:
        seen: Counter[str] = Counter()
        for line, cells in self._table.rows:
            row = self._read_row(line, cells)
            if row is None:
                continue
            # Two identical rows are two purchases; the count keeps their keys apart
            # while a re-import of the same file finds the same keys again.
            seen[row.idempotency_key] += 1
            key = f"import:credits:{row.idempotency_key}:{seen[row.idempotency_key]}"
            self.rows.append(
                CreditRow(
                    row.line, row.member_id, row.new_member, row.type_key, row.type_name,
                    row.quantity, row.expires_on, row.price_cents, row.note, key,
                )
            )  # fmt: skip

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

    def _name_field(self) -> str:
        """The column a problem about the member's name points at."""
        columns = self._mapping.columns
        return next((f for f in ("name", "last_name", "first_name") if f in columns), "name")

    def _read_row(self, line: int, cells: list[str]) -> CreditRow | None:
        def get(field: str) -> str:
            return _cell(cells, self._mapping, field)

        errors_before = self._errors
        member_id, new_member, identity = self._member(line, get)
        type_raw = get("appointment_type")
        type_key = text_key(type_raw)
        type_name = self._types.get(type_key) or self.new_types.get(type_key, "")
        if not type_raw:
            self._problem(line, "appointment_type", "", "no appointment type")
        elif not type_name:
            if self._create_types:
                try:
                    name = clean_text(" ".join(type_raw.split()), "appointment_type")
                    type_name = self.new_types.setdefault(type_key, name)
                except ValidationError as exc:
                    self._problem(line, "appointment_type", type_raw, exc.message)
            else:
                known = ", ".join(sorted(self._types.values())) or "none yet"
                self._problem(
                    line, "appointment_type", type_raw,
                    f"unknown appointment type (known: {known})", remedy=Remedy.CREATE_TYPES,
                )  # fmt: skip
        quantity = 0
        try:
            quantity = parse_quantity(get("quantity"))
        except ValueProblem as exc:
            self._problem(line, "quantity", get("quantity"), str(exc))
        expires: date | None = None
        if get("expires_on"):
            try:
                expires = parse_date(get("expires_on"), self._date_order)
                if expires < self._today:
                    self._problem(
                        line, "expires_on", get("expires_on"),
                        "the expiry date is past: these credits arrive already expired",
                        Severity.WARNING,
                    )  # fmt: skip
            except ValueProblem as exc:
                self._problem(line, "expires_on", get("expires_on"), str(exc), remedy=exc.remedy)
        price = 0
        if get("price"):
            try:
                price = parse_amount(get("price"))
            except ValueProblem as exc:
                self._problem(line, "price", get("price"), str(exc))
        note = ""
        try:
            note = clean_text(get("note"), "note", max_length=MAX_TEXT)
        except ValidationError as exc:
            self._problem(line, "note", get("note")[:40], exc.message)
        if self._errors > errors_before:
            return None
        fingerprint = "|".join((identity, type_key, str(quantity), str(expires), str(price), note))
        digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:40]
        return CreditRow(
            line, member_id, new_member, type_key, type_name, quantity, expires, price, note, digest
        )

    def _member(
        self, line: int, get: Callable[[str], str]
    ) -> tuple[int | None, NewMember | None, str]:
        external_id = get("external_id")
        email_raw = get("email")
        full = get("name") or f"{get('first_name')} {get('last_name')}".strip()
        if get("name"):
            first, last = _split_name(full)
        else:
            first, last = get("first_name"), get("last_name")
        identity = "|".join((external_id, email_raw.casefold(), name_key(first, last)))
        d = self._directory
        if external_id and external_id in d.by_external_id:
            return d.by_external_id[external_id], None, identity
        if email_raw:
            matches = d.by_email.get(email_raw.casefold(), [])
            if len(matches) > 1:
                self._problem(
                    line, "email", email_raw,
                    f"{len(matches)} members have this email; add a member id column to choose",
                )  # fmt: skip
                return None, None, identity
            if matches:
                return matches[0], None, identity
        if first or last:
            matches = d.by_name.get(name_key(first, last), [])
            if len(matches) > 1:
                self._problem(
                    line, self._name_field(), full,
                    f"{len(matches)} members are called {full}; add an email or member id column",
                )  # fmt: skip
                return None, None, identity
            if matches:
                return matches[0], None, identity
        if not (external_id or email_raw or first or last):
            self._problem(line, "", "", "the row doesn't say which member it is for")
            return None, None, identity
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
            return None, None, identity
        if not (first or last):
            self._problem(line, self._name_field(), "", "a new member needs a name")
            return None, None, identity
        # A new member's details are checked as if typed into the member dialog.
        try:
            first = clean_text(first, "first_name")
            last = clean_text(last, "last_name")
        except ValidationError as exc:
            self._problem(line, self._name_field(), full, exc.message)
            return None, None, identity
        try:
            external_id = clean_text(external_id, "external_id")
        except ValidationError as exc:
            self._problem(line, "external_id", external_id[:40], exc.message)
            return None, None, identity
        email = None
        if email_raw:
            try:
                email = clean_email(email_raw)
            except ValidationError as exc:
                self._problem(line, "email", email_raw, exc.message)
                return None, None, identity
        key = external_id or (email or "") or name_key(first, last)
        new = self._new_members.setdefault(
            key, NewMember(key, first, last, email, external_id or None)
        )
        return None, new, identity
