"""The order a member's credits will pay in, in words (issue 18, items 1 and 6).

"Next session uses: 3 left of 10 PT sessions, expires 12 Jan 2027; then 5 left of
Comp (never expires)". The order is the service's (``CreditService.paying_order``,
which is ``paying_lot.paying_order``); these functions only say it.
"""

from __future__ import annotations

from collections.abc import Sequence

from desk.services.credits.first_use import first_use_words
from desk.services.credits.paying_order_reads import PayingLotView
from desk.ui.widgets.formatting import format_date


def lot_phrase(lot: PayingLotView) -> str:
    """ "3 left of 10 PT sessions, expires 12 Jan 2027", "... (valid 30 days from first
    use)" for a lot not used yet, "... (never expires)"; a shared pool's lot says so."""
    pool = " in the shared pool" if lot.shared else ""
    text = f"{lot.remaining} left of {lot.note or lot.appointment_type}{pool}"
    if lot.expires_on is not None:
        return f"{text}, expires {format_date(lot.expires_on)}"
    if lot.first_use_days is not None:
        return f"{text} ({first_use_words(lot.first_use_days)})"
    return f"{text} (never expires)"


def paying_order_words(lots: Sequence[PayingLotView]) -> str:
    """One line per appointment type, the lots in paying order: "Personal Training:
    next session uses 3 left of ...; then 5 left of ..."; empty without lots."""
    lines: list[str] = []
    for type_id in dict.fromkeys(lot.appointment_type_id for lot in lots):
        mine = [lot for lot in lots if lot.appointment_type_id == type_id]
        then = "".join(f"; then {lot_phrase(lot)}" for lot in mine[1:])
        lines.append(f"{mine[0].appointment_type}: next session uses {lot_phrase(mine[0])}{then}")
    return "\n".join(lines)
