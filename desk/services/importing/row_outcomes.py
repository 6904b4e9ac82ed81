"""Accounting for every row of a file: what went in, what stayed out and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from desk.services.importing.csv_file import CsvTable
from desk.services.importing.fields import Mapping
from desk.services.importing.report import (
    ImportReport,
    Problem,
    RowOutcome,
    RowStatus,
    Severity,
)
from desk.services.importing.row_reader import NewMember


class PreviewRow(Protocol):
    @property
    def member_id(self) -> int | None: ...
    @property
    def new_member(self) -> NewMember | None: ...
    @property
    def line(self) -> int: ...
    @property
    def member_name(self) -> str: ...
    @property
    def type_name(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def expires_on(self) -> date | None: ...
    @property
    def price_cents(self) -> int: ...


def ignored_columns(table: CsvTable, mapping: Mapping) -> list[str]:
    """The file's columns no field is read from (blank headers left out)."""
    taken = set(mapping.columns.values())
    return [h for i, h in enumerate(table.header) if i not in taken and h.strip()]


def left_out_outcomes(left_out: dict[int, str]) -> dict[int, tuple[RowStatus, str]]:
    """The rows the person left out, with their reasons, as ``row_outcomes`` takes them."""
    return {line: (RowStatus.LEFT_OUT, why or "left out") for line, why in left_out.items()}


def row_outcomes(
    table: CsvTable,
    *,
    fresh: Iterable[PreviewRow],
    already: Iterable[PreviewRow],
    problems: list[Problem],
    skipped: dict[int, tuple[RowStatus, str]],
    written: bool,
) -> list[RowOutcome]:
    """One outcome per row of ``table``, in the file's order.

    ``skipped`` maps a line to why it stays out (left out, nothing remaining).
    A line with several rows' worth of outcome (never today) keeps the first.
    """
    errors: dict[int, list[str]] = defaultdict(list)
    for p in problems:
        if p.severity == Severity.ERROR:
            errors[p.row].append(p.message)
    going = RowStatus.IMPORTED if written else RowStatus.TO_IMPORT
    read: dict[int, RowOutcome] = {}
    for status, rows in ((going, fresh), (RowStatus.ALREADY_IMPORTED, already)):
        for r in rows:
            read.setdefault(
                r.line,
                RowOutcome(
                    r.line, status, r.member_name, r.type_name, r.quantity, r.expires_on,
                    r.price_cents,
                ),
            )  # fmt: skip
    result: list[RowOutcome] = []
    for line, _cells in table.rows:
        if line in skipped:
            status, why = skipped[line]
            result.append(RowOutcome(line, status, detail=why))
        elif line in errors:
            result.append(RowOutcome(line, RowStatus.ERROR, detail="; ".join(errors[line])))
        elif line in read:
            result.append(read[line])
    return result


def draft_report(
    kind: str,
    file_name: str,
    table: CsvTable,
    mapping: Mapping,
    *,
    read: Sequence[PreviewRow],
    fresh: Sequence[PreviewRow],
    problems: list[Problem],
    new_types: dict[str, str],
    source_system: str,
    type_map: dict[str, str],
) -> ImportReport:
    """The report of a credits-like import before it writes (``read``: every row
    read well; ``fresh``: those not imported yet)."""
    return ImportReport(
        kind=kind,
        file_name=file_name,
        encoding=table.encoding,
        delimiter=table.delimiter_name,
        columns={f: mapping.column_name(f) for f in mapping.columns},
        rows=len(table.rows),
        to_import=len(fresh),
        already_imported=len(read) - len(fresh),
        problems=problems,
        created_members=len({r.new_member.key for r in fresh if r.new_member}),
        created_types=sorted(new_types.values()),
        member_ids=sorted({r.member_id for r in read if r.member_id is not None}),
        ignored_columns=ignored_columns(table, mapping),
        source_system=source_system,
        type_map=type_map,
    )
