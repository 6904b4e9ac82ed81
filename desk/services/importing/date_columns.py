"""Settling how a file writes its dates, one column at a time."""

from __future__ import annotations

from desk.services.importing.csv_file import CsvTable
from desk.services.importing.fields import Mapping
from desk.services.importing.report import Problem
from desk.services.importing.values import date_order_of

ORDER_WORDS = {"mdy": "month-first", "dmy": "day-first"}


def settle_date_orders(
    table: CsvTable, mapping: Mapping, fields: tuple[str, ...], chosen: str | None
) -> tuple[dict[str, str], list[Problem]]:
    """The date order of each mapped date column, and the contradictions found.

    The order asked for (``chosen``) holds for every column. Otherwise one cell a
    single order can read (13/05/2027 or 06/30/2027) settles its whole column;
    a column with cells of both kinds is an error naming the first row of each;
    a column with no such cell has no order (its ambiguous dates then ask).
    """
    present = [f for f in fields if f in mapping.columns]
    if chosen:
        return dict.fromkeys(present, chosen), []
    orders: dict[str, str] = {}
    problems: list[Problem] = []
    for field in present:
        index = mapping.columns[field]
        first: dict[str, tuple[int, str]] = {}
        for line, cells in table.rows:
            if index >= len(cells):
                continue
            order = date_order_of(cells[index])
            if order is not None and order not in first:
                first[order] = (line, cells[index].strip())
                if len(first) == 2:
                    break
        if len(first) == 2:
            (m_line, m_value), (d_line, d_value) = first["mdy"], first["dmy"]
            column = mapping.column_name(field)
            message = (
                f"this column has dates only month-first can read (row {m_line}: {m_value!r}) "
                f"and dates only day-first can read (row {d_line}: {d_value!r}); "
                "correct one of them in the file"
            )
            problems.append(Problem(m_line, column, m_value, message))
            problems.append(Problem(d_line, column, d_value, message))
        elif first:
            orders[field] = next(iter(first))
    return orders, problems
