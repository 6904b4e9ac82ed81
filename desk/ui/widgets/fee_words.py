"""What the desk says about a late-cancel or no-show fee before it is charged (the cancel
dialog, the no-show question), in the desk's money format."""

from __future__ import annotations

from desk.services.selling.fees import FeeDue
from desk.ui.widgets.formatting import format_money


def fee_sentence(fee: FeeDue | None, currency: str = "USD") -> str:
    """ " A $15.00 late-cancel fee goes on the account." (with a leading space), or ""."""
    if fee is None:
        return ""
    sentence = f" A {format_money(fee.cents, currency)} {fee.name} goes on the account"
    if fee.replaces_forfeit:
        return sentence + " instead: the credit goes back."
    return sentence + "."
