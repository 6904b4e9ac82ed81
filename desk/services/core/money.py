"""Money as integer cents: parsing what people type, formatting what they read."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from desk.services.core.errors import ValidationError

_SYMBOLS = re.compile(r"^(?:[$€£]|USD|EUR|GBP|CAD|AUD)\s*|\s*(?:[$€£]|USD|EUR|GBP|CAD|AUD)$", re.I)
MAX_CENTS = 100_000_000_00  # a hundred million: beyond any front-desk sale
# The most a lot's price_cents column holds (a 32-bit INTEGER on PostgreSQL): less than
# MAX_CENTS, so a value an import computes is checked against this too.
MAX_LOT_CENTS = 2**31 - 1


def parse_money(text: str, field: str = "price") -> int:
    """Parse "$1,200.00", "1200", "12.5" into cents.

    Raises ValidationError (naming ``field``) for anything else, for more than two
    decimals and for negative or absurdly large amounts.
    """
    raw = text.strip()
    cleaned = _SYMBOLS.sub("", raw).replace(",", "").replace(" ", "")
    if not cleaned:
        raise ValidationError(field, "Enter an amount, e.g. 25.00.")
    if not re.fullmatch(r"-?\d+(?:\.\d{0,2})?|-?\.\d{1,2}", cleaned):
        raise ValidationError(field, f"{raw!r} is not an amount (use e.g. 25.00).")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex above rules this out
        raise ValidationError(field, f"{raw!r} is not an amount.") from exc
    if value < 0:
        raise ValidationError(field, "The amount can't be negative.")
    cents = int(value * 100)
    if cents > MAX_CENTS:
        raise ValidationError(field, "That amount is too large.")
    return cents


def format_money(cents: int, currency: str = "USD") -> str:
    """12345 -> "$123.45" (other currencies get their code)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    amount = f"{whole:,}.{part:02d}"
    if currency == "USD":
        return f"{sign}${amount}"
    return f"{sign}{amount} {currency}"
