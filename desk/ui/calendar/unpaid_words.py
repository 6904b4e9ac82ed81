"""How the desk words unpaid bookings: the mark, and what a grant paid."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from desk.services.core.read_models import PaidBooking
from desk.ui.widgets.formatting import format_clock, format_weekday_day_month

UNPAID_MARK = "Unpaid"
UNPAID_TIP = "Booked without a credit: the member's next credits of this type pay for it."


def paid_sentence(paid: Sequence[PaidBooking], tz: tzinfo) -> str:
    """ "Paid 2 unpaid bookings: Tue 3 Mar 10:00 PT, Thu 5 Mar 10:00 PT." or ""."""
    if not paid:
        return ""
    sessions = ", ".join(
        f"{format_weekday_day_month(local.date())} {format_clock(local)} {p.appointment_type}"
        for p in paid
        for local in [p.starts_at.astimezone(tz)]
    )
    noun = "booking" if len(paid) == 1 else "bookings"
    return f"Paid {len(paid)} unpaid {noun}: {sessions}."


def with_paid(message: str, paid: Sequence[PaidBooking], tz: tzinfo) -> str:
    """A grant's confirmation followed by what it paid, if anything."""
    said = paid_sentence(paid, tz)
    return f"{message} {said}" if said else message


def unpaid_note(unpaid: bool, status_note: str | None) -> str | None:
    """A calendar block's note: its status ("No-show"), with "unpaid" when it owes a credit."""
    if not unpaid:
        return status_note
    return f"{status_note}, unpaid" if status_note else UNPAID_MARK


def with_unpaid(text: str, unpaid: bool) -> str:
    """A row's status or type with ", unpaid" when it owes a credit ("Booked, unpaid")."""
    return f"{text}, unpaid" if unpaid else text


def owing_words(count: int) -> str:
    """The profile's count of bookings still owing a credit ("" for none)."""
    if not count:
        return ""
    return f"   ·   {count} unpaid booking{'s' if count != 1 else ''} owing a credit"
