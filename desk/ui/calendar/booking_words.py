"""How the calendar words a clash and a paying lot, in the desk's own formats.

A service refuses a clash with the session in the way (``Clash.clash``, UTC
times); these sentences put it in the desk's time and locale
(``desk.ui.widgets.formatting``). A lot is named by what it is, its type and
expiry, never by its number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo

from desk.services.core.errors import ClashingAppointment
from desk.services.core.read_models import LotView
from desk.services.credits.first_use import first_use_words
from desk.services.credits.paying_order_reads import PayingLotView
from desk.ui.widgets.formatting import (
    format_clock,
    format_date,
    format_time_range,
    format_weekday_day_month,
)


def clash_sentence(clash: ClashingAppointment, tz: tzinfo) -> str:
    """ "Kim Alvarez already has Ann Smith (Personal Training) on Tue 8 Dec, 10:00-11:00."
    (the dash as the locale writes a time range)."""
    day = clash.starts_at.astimezone(tz).date()
    hours = format_time_range(clash.starts_at, clash.ends_at, tz)
    return (
        f"{clash.staff_name} already has {clash.member_name} ({clash.appointment_type}) "
        f"on {format_weekday_day_month(day)}, {hours}."
    )


def busy_cell(clash: ClashingAppointment, tz: tzinfo) -> str:
    """A preview row's short form (the row already gives the date): "Busy 10:00-11:00:
    Ann Smith (Personal Training)"."""
    return (
        f"Busy {format_time_range(clash.starts_at, clash.ends_at, tz)}: "
        f"{clash.member_name} ({clash.appointment_type})"
    )


def moved_to(moment: datetime, tz: tzinfo) -> str:
    """ "Tue 1 Dec 10:00": where a session now starts."""
    local = moment.astimezone(tz)
    return f"{format_weekday_day_month(local.date())} {format_clock(local)}"


def lot_words(
    type_name: str, expires_on: date | None, count: int | None = None, first_use: int | None = None
) -> str:
    """ "Personal Training credits expiring 30 Jun 2027" (or "... that never expire",
    "... valid 30 days from first use" with ``first_use`` days and no date yet);
    with a ``count``, "1 Personal Training credit expiring 30 Jun 2027"."""
    credits = "credit" if count == 1 else "credits"
    what = f"{type_name} {credits}" if count is None else f"{count} {type_name} {credits}"
    if expires_on is None and first_use is not None:
        return f"{what} {first_use_words(first_use)}"
    if expires_on is None:
        return f"{what} that never {'expires' if count == 1 else 'expire'}"
    return f"{what} expiring {format_date(expires_on)}"


def first_session_words(type_name: str, lot: PayingLotView | None) -> str:
    """ " The first session uses the Personal Training credits expiring 31 Dec 2026
    (10 left)." for the lot that will pay (empty without one)."""
    if lot is None:
        return ""
    what = lot_words(type_name, lot.expires_on, None, lot.first_use_days)
    return f" The first session uses the {what} ({lot.remaining} left)."


def open_credit_lines(lots: Iterable[LotView]) -> list[str]:
    """A member's open credits, a line per type and expiry date, soonest first within a
    type ("5 Personal Training credits expiring 30 Jun 2027")."""
    open_by: dict[tuple[str, date | None], int] = {}
    for lot in lots:
        if lot.remaining > 0 and not lot.is_expired:
            key = (lot.appointment_type, lot.expires_on)
            open_by[key] = open_by.get(key, 0) + lot.remaining
    order = sorted(open_by, key=lambda k: (k[0], k[1] is None, k[1] or date.max))
    return [lot_words(kind, expires, open_by[(kind, expires)]) for kind, expires in order]


def fit_words(count: int) -> str:
    """ "doesn't fit" for one session, "don't fit" for more."""
    return "doesn't fit" if count == 1 else "don't fit"
