"""Reading and checking the rows of a members file (nothing is written here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from desk.services.core.errors import ValidationError
from desk.services.core.validation import clean_email, clean_phone, clean_text, phone_digits
from desk.services.importing.csv_file import CsvTable
from desk.services.importing.directory import MemberDirectory, name_key
from desk.services.importing.fields import Mapping
from desk.services.importing.report import Problem, Severity


@dataclass(frozen=True)
class MemberRow:
    line: int
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    phone_digits: str | None
    external_id: str | None
    notes: str


def read_member_rows(
    table: CsvTable, mapping: Mapping, directory: MemberDirectory
) -> tuple[list[MemberRow], list[Problem], int]:
    """(rows to create, problems, rows already in Desk).

    A row is already imported when its external id is known, or (without one)
    when a member with the same name and email exists, or (without either) one
    with the same name and phone number. A row with only a name whose namesake is
    already in Desk gets a warning: it would add another member.
    """
    rows: list[MemberRow] = []
    problems: list[Problem] = []
    existing = 0
    # A problem with the name points at the column the name came from.
    name_field = next(
        (f for f in ("name", "last_name", "first_name") if f in mapping.columns), "name"
    )
    ids_in_file: Counter[str] = Counter(
        cells[mapping.columns["external_id"]].strip()
        for _line, cells in table.rows
        if "external_id" in mapping.columns
        and mapping.columns["external_id"] < len(cells)
        and cells[mapping.columns["external_id"]].strip()
    )

    for line, cells in table.rows:

        def get(field: str, cells: list[str] = cells) -> str:
            index = mapping.columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def problem(field: str, value: str, message: str, line: int = line) -> None:
            column = mapping.column_name(field) if field in mapping.columns else ""
            problems.append(Problem(line, column, value, message))

        before = len(problems)
        if get("name"):
            full = get("name")
            if "," in full:
                last, _, first = full.partition(",")
            else:
                parts = full.split()
                first, last = (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (full, "")
        else:
            first, last = get("first_name"), get("last_name")
        external_id = get("external_id") or None
        try:
            first = clean_text(first, "first_name")
            last = clean_text(last, "last_name")
        except ValidationError as exc:
            problem(name_field, f"{first} {last}".strip(), exc.message)
        if not (first or last):
            problem(name_field, "", "no name")
        try:
            clean_text(external_id, "external_id")
        except ValidationError as exc:
            problem("external_id", (external_id or "")[:40], exc.message)
        email = phone = None
        try:
            email = clean_email(get("email"))
        except ValidationError as exc:
            problem("email", get("email"), exc.message)
        try:
            phone = clean_phone(get("phone"))
        except ValidationError as exc:
            problem("phone", get("phone"), exc.message)
        try:
            notes = clean_text(get("notes"), "notes", max_length=2000)
        except ValidationError as exc:
            problem("notes", get("notes")[:40], exc.message)
            notes = ""
        if external_id and ids_in_file[external_id] > 1:
            problem("external_id", external_id, "this external id appears on more than one row")
        if len(problems) > before:
            continue
        if external_id and external_id in directory.by_external_id:
            existing += 1
            continue
        if (
            not external_id
            and email
            and any(
                m in directory.by_name.get(name_key(first, last), [])
                for m in directory.by_email.get(email.casefold(), [])
            )
        ):
            existing += 1
            continue
        digits = phone_digits(phone)
        if not external_id and not email:
            key = name_key(first, last)
            if digits and (key, digits) in directory.names_with_phone:
                existing += 1  # the same name and phone number: the same person
                continue
            namesakes = len(directory.by_name.get(key, []))
            if namesakes:
                # Nothing to tell them apart: most likely this file (or another export of
                # the same gym) was imported before. Said before anything is written.
                problems.append(
                    Problem(
                        line,
                        mapping.column_name(name_field) if name_field in mapping.columns else "",
                        f"{first} {last}".strip(),
                        f"{namesakes} member(s) with this name already in Desk and this row has "
                        "no email or external id to tell them apart: importing adds another",
                        Severity.WARNING,
                    )
                )
        rows.append(MemberRow(line, first, last, email, phone, digits or None, external_id, notes))
    return rows, problems, existing
