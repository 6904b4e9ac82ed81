"""Reading, checking and matching the rows of a credits file (nothing is written here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from desk.services.core.money import MAX_LOT_CENTS, format_money
from desk.services.credits.lot_value import value_of_credits
from desk.services.importing.csv_file import CsvTable
from desk.services.importing.directory import MemberDirectory
from desk.services.importing.fields import Mapping
from desk.services.importing.report import Severity
from desk.services.importing.row_reader import Get, NewMember, RowReader, cell
from desk.services.importing.values import (
    ValueProblem,
    is_zero_quantity,
    parse_amount,
    parse_date,
    parse_quantity,
)

__all__ = ["CreditRow", "CreditRowReader", "NewMember"]


@dataclass(frozen=True)
class CreditRow:
    line: int
    member_id: int | None
    new_member: NewMember | None
    member_name: str
    type_key: str
    type_name: str
    quantity: int
    expires_on: date | None
    price_cents: int
    """What the row's open credits are worth: the price of the lot it becomes."""
    note: str
    idempotency_key: str


class CreditRowReader(RowReader[CreditRow]):
    """Turns a mapped table into CreditRows and Problems.

    Rows whose line is in ``left_out`` are not read at all; rows with nothing
    remaining are skipped and counted (``zero_lines``).
    """

    KIND = "credits"

    def __init__(
        self,
        table: CsvTable,
        mapping: Mapping,
        directory: MemberDirectory,
        types: dict[str, str],
        *,
        date_orders: dict[str, str],
        today: date,
        create_missing_members: bool,
        create_missing_types: bool,
        type_map: dict[str, str] | None = None,
        left_out: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(
            table, mapping, directory, types, type_map=type_map or {},
            create_missing_members=create_missing_members,
            create_missing_types=create_missing_types, left_out=left_out,
        )  # fmt: skip
        self._date_order = date_orders.get("expires_on")
        self._today = today
        self.zero_lines: list[int] = []

    def _read_row(self, line: int, cells: list[str]) -> CreditRow | None:
        def get(field: str) -> str:
            return cell(cells, self._mapping, field)

        if is_zero_quantity(get("quantity")):
            self.zero_lines.append(line)  # nothing left to bring over: not an error
            return None
        errors_before = self._errors
        whose = self._member(line, get)
        type_key, type_name = self._type(line, get("appointment_type"))
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
        price = self._value(line, get, quantity)
        note = self._note(line, get)
        if self._errors > errors_before:
            return None
        fingerprint = "|".join(
            (whose.identity, type_key, str(quantity), str(expires), str(price), note)
        )
        digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:40]
        return CreditRow(
            line, whose.member_id, whose.new_member, whose.shown, type_key, type_name,
            quantity, expires, price, note, digest,
        )  # fmt: skip

    def _amount(self, line: int, get: Get, field: str) -> int | None:
        if not get(field):
            return None
        try:
            return parse_amount(get(field))
        except ValueProblem as exc:
            self._problem(line, field, get(field), str(exc))
            return None

    def _value(self, line: int, get: Get, remaining: int) -> int:
        """What the row's ``remaining`` credits are worth (see ``_read_value``), within
        what a lot can hold."""
        value = self._read_value(line, get, remaining)
        if value > MAX_LOT_CENTS:
            field = next(f for f in ("value", "unit_price", "price") if get(f))
            self._problem(
                line, field, get(field),
                f"these credits would be worth more than a lot can hold "
                f"({format_money(MAX_LOT_CENTS)} at most)",
            )  # fmt: skip
            return 0
        return value

    def _read_value(self, line: int, get: Get, remaining: int) -> int:
        """What the row's ``remaining`` credits are worth, read from whichever shape
        the file has: the value of what is left; a unit price; the lot's price with
        the number it bought; or (only a price) the price of these credits."""
        value = self._amount(line, get, "value")
        unit = self._amount(line, get, "unit_price")
        price = self._amount(line, get, "price")
        if remaining < 1:
            return 0
        if value is not None:
            # Unit prices are rounded to the cent: within a cent per credit agrees.
            if unit is not None and abs(unit * remaining - value) >= remaining:
                self._problem(
                    line, "value", get("value"),
                    f"{remaining} credits at {get('unit_price')} each are not worth "
                    f"{get('value')}: the value and the unit price disagree",
                )  # fmt: skip
            return value
        if unit is not None:
            return unit * remaining
        if price is not None and get("purchased"):
            try:
                bought = parse_quantity(get("purchased"))
            except ValueProblem as exc:
                self._problem(line, "purchased", get("purchased"), str(exc))
                return 0
            if bought < remaining:
                self._problem(
                    line, "purchased", get("purchased"),
                    f"{remaining} remaining of {bought} bought: more are left than were bought",
                )  # fmt: skip
                return 0
            return value_of_credits(price, bought, remaining)
        return price or 0
