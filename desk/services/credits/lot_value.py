"""What credits on a lot are worth: the one rule, used by voids and every report.

A lot's price is shared out over the credits it granted: each credit is worth
``price // quantity`` cents and the last credit to go also carries the
remainder, so the credits of a lot always add up to its price to the cent.
Credits are spent first to last, so the ``held`` credits still on a lot are
the last ones: worth their share and, while any is left, the remainder.
Credits added on top of the quantity (a positive adjustment) are free.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, case, literal
from sqlalchemy.orm import InstrumentedAttribute

SqlInt = ColumnElement[int] | InstrumentedAttribute[int]


def credit_share(price_cents: int, quantity: int) -> int:
    """One credit's share of its lot's price, rounded down (the remainder rides on
    the last credit: see value_of_credits); 0 for a lot of no credits."""
    return price_cents // quantity if quantity > 0 else 0


def value_of_credits(price_cents: int, quantity: int, held: int) -> int:
    """Cents that the ``held`` last credits of a lot of ``quantity`` at ``price_cents``
    are worth (0 for none; the whole price for ``quantity`` or more)."""
    if held <= 0 or quantity <= 0:
        return 0
    share = credit_share(price_cents, quantity)
    return min(held, quantity) * share + price_cents - quantity * share


def value_of_nth_credit(price_cents: int, quantity: int, nth: int) -> int:
    """Cents the ``nth`` credit spent (1 = the first) of such a lot is worth:
    the share, plus the remainder on the last one, 0 past the quantity."""
    if not 1 <= nth <= quantity:
        return 0
    return value_of_credits(price_cents, quantity, quantity - nth + 1) - value_of_credits(
        price_cents, quantity, quantity - nth
    )


def split_price(price_cents: int, quantities: list[int]) -> list[int]:
    """A price shared over lots bought together (a plan period's lots), by their
    credits: each gets its share rounded down, the first lot also the remainder,
    so the shares add up to the price to the cent."""
    total = sum(quantities)
    if total <= 0:
        return [0 for _ in quantities]
    shares = [price_cents * quantity // total for quantity in quantities]
    if shares:
        shares[0] += price_cents - sum(shares)
    return shares


def credits_value_sql(price_cents: SqlInt, quantity: SqlInt, held: SqlInt) -> ColumnElement[int]:
    """``value_of_credits`` as a SQL expression over columns (the same rule, for
    reports that sum values in the database): ``min(held, quantity) * share`` plus
    the remainder while any credit is held; 0 for none held or a lot of no credits.
    Integer division of non-negative integers, so SQLite and PostgreSQL agree."""
    share = price_cents // quantity
    kept = case((held < quantity, held), else_=quantity)
    return case(
        (held <= 0, literal(0, Integer)),
        (quantity <= 0, literal(0, Integer)),
        else_=kept * share + price_cents - quantity * share,
    )
