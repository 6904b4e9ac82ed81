"""Accounting for every row of a file: what went in, what stayed out and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from desk.services.importing.csv_file import CsvTable
from desk.services.importing.fields import Mapping
from desk.services.importing.report import Problem, RowOutcome, RowStatus, Severity


class PreviewRow(Protocol):
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
