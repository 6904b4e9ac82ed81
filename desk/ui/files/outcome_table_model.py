"""Rows of an import preview or summary: who gets what, and what became of each row."""

from __future__ import annotations

from datetime import date

from desk.services.importing.report import RowOutcome, RowStatus, TypeTotal
from desk.ui.widgets.formatting import format_date, format_money
from desk.ui.widgets.table_model import Column, RowTableModel

STATUS_LABELS = {
    RowStatus.IMPORTED: "Imported",
    RowStatus.TO_IMPORT: "Goes in",
    RowStatus.ALREADY_IMPORTED: "Already imported",
    RowStatus.NOTHING_REMAINING: "Skipped: nothing remaining",
    RowStatus.LEFT_OUT: "Left out",
    RowStatus.NOT_BOOKED: "Skipped: past or not booked",
    RowStatus.ERROR: "Error",
}


def _money(o: RowOutcome) -> str:
    return format_money(o.value_cents) if o.credits else ""


class OutcomeModel(RowTableModel[RowOutcome]):
    columns = (
        Column[RowOutcome]("Row", lambda o: str(o.line), lambda o: o.line, numeric=True),
        Column[RowOutcome]("Member", lambda o: o.member),
        Column[RowOutcome]("Type", lambda o: o.appointment_type),
        Column[RowOutcome]("Credits", lambda o: f"{o.credits:,}" if o.credits else "",
                           lambda o: o.credits, numeric=True),
        Column[RowOutcome]("Expires", lambda o: format_date(o.expires_on),
                           lambda o: o.expires_on or date.max),
        Column[RowOutcome]("Value", _money, lambda o: o.value_cents, numeric=True),
        Column[RowOutcome]("Outcome", lambda o: STATUS_LABELS.get(o.status, o.status.value)
                           + (f": {o.detail}" if o.detail and o.status != RowStatus.ERROR
                              and o.status != RowStatus.NOTHING_REMAINING else "")),
    )  # fmt: skip

    def is_dimmed(self, row: RowOutcome) -> bool:
        return row.status not in (RowStatus.IMPORTED, RowStatus.TO_IMPORT)


class TotalsModel(RowTableModel[TypeTotal]):
    columns = (
        Column[TypeTotal]("Type", lambda t: t.appointment_type),
        Column[TypeTotal]("Rows", lambda t: f"{t.rows:,}", lambda t: t.rows, numeric=True),
        Column[TypeTotal]("Credits", lambda t: f"{t.credits:,}", lambda t: t.credits,
                          numeric=True),
        Column[TypeTotal]("Value", lambda t: format_money(t.value_cents),
                          lambda t: t.value_cents, numeric=True),
    )  # fmt: skip
