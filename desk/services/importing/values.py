"""Parsing dates and amounts as other systems write them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from desk.services.core.money import MAX_CENTS
from desk.services.importing.report import Remedy

DATE_ORDERS = ("mdy", "dmy")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_PARTS = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:\s.*)?$")
_CURRENCY = re.compile(r"^(?:[$€£]|USD|EUR|GBP|CAD|AUD)\s*|\s*(?:[$€£]|USD|EUR|GBP|CAD|AUD)$", re.I)


class ValueProblem(Exception):
    """A cell that can't be read; the message says why, ``remedy`` what option settles it."""

    def __init__(self, message: str, remedy: Remedy | None = None) -> None:
        super().__init__(message)
        self.remedy = remedy


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) <= 2 else value


def date_order_of(text: str) -> str | None:
    """ "mdy" or "dmy" when one cell settles the order (13/04 or 04/13), else None."""
    match = _PARTS.match(text.strip())
    if match is None or len(match.group(1)) == 4:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return None


def is_ambiguous_date(text: str) -> bool:
    match = _PARTS.match(text.strip())
    if match is None or len(match.group(1)) == 4:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    return first <= 12 and second <= 12 and first != second


def parse_date(text: str, order: str | None) -> date:
    """ISO dates always; 03/04/2026-style dates in ``order`` ("mdy" or "dmy").

    Raises ValueProblem when the text isn't a date, or is ambiguous with no order.
    """
    raw = text.strip()
    iso = _ISO.match(raw)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        parts = _PARTS.match(raw)
        if parts is None:
            raise ValueProblem(f"{raw!r} is not a date (use e.g. 2026-12-31 or 12/31/2026)")
        a, b, c = parts.groups()
        if len(a) == 4:
            return date(int(a), int(b), int(c))
        chosen = order or date_order_of(raw)
        if chosen is None:
            if int(a) == int(b):
                chosen = "mdy"  # 05/05 reads the same either way
            else:
                raise ValueProblem(f"{raw!r} could be month/day or day/month", Remedy.DATE_ORDER)
        if chosen == "dmy":
            return date(_year(c), int(b), int(a))
        return date(_year(c), int(a), int(b))
    except ValueError as exc:
        raise ValueProblem(f"{raw!r} is not a real date ({exc})") from exc


def parse_amount(text: str) -> int:
    """ "$1,200.00", "1200", "12,50", "1.200,00 €" -> cents. Raises ValueProblem."""
    raw = text.strip()
    cleaned = _CURRENCY.sub("", raw).replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return 0
    if len(cleaned) > 20:
        raise ValueProblem(f"{raw[:40]!r} is not an amount (use e.g. 120.00)")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d{1,2}|\d+,\d{1,2}", cleaned):
        # European: dots group thousands, the comma is the decimal point.
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?|\.\d{1,2}", cleaned):
        cleaned = cleaned.replace(",", "")
    else:
        raise ValueProblem(f"{raw!r} is not an amount (use e.g. 120.00)")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above rule it out
        raise ValueProblem(f"{raw!r} is not an amount") from exc
    cents = int(value * 100)
    if cents > MAX_CENTS:
        raise ValueProblem(f"{raw!r} is more than any price ({MAX_CENTS // 100:,} at most)")
    return cents


def is_zero_quantity(text: str) -> bool:
    """ "0", "0.00": a row with nothing remaining (skipped, not an error)."""
    return re.fullmatch(r"0+(?:\.0+)?", text.strip()) is not None


def parse_quantity(text: str) -> int:
    """A whole, positive number of credits ("5", "5.0"). Raises ValueProblem."""
    raw = text.strip()
    match = re.fullmatch(r"(\d+)(?:\.0+)?", raw)
    if match is None:
        if re.fullmatch(r"-\d+(?:\.0+)?", raw):
            raise ValueProblem(f"{raw!r}: the number of credits must be at least 1")
        raise ValueProblem(f"{raw!r} is not a whole number of credits")
    digits = match.group(1).lstrip("0") or "0"
    if len(digits) > 4:  # int() of thousands of digits is refused, and slow before that
        raise ValueProblem(f"{raw[:40]!r}: at most 1,000 credits per row")
    value = int(digits)
    if value <= 0:
        raise ValueProblem(f"{raw!r}: the number of credits must be at least 1")
    if value > 1000:
        raise ValueProblem(f"{raw!r}: at most 1,000 credits per row")
    return value
