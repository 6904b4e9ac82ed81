"""Today's waitlist promotions, in the desk's words: who got a place, and where."""

from __future__ import annotations

from datetime import tzinfo

from desk.services.core.read_models import WaitlistEntryView
from desk.ui.widgets.formatting import format_clock, format_weekday_day_month


def promotion_lines(promoted: list[WaitlistEntryView], tz: tzinfo) -> str:
    """ "Promoted from the waitlist: Ana Ruiz, Small Group PT 18:00" per promotion
    (with the day when the session isn't on the day it was promoted)."""
    lines = []
    for entry in promoted:
        start = entry.starts_at.astimezone(tz)
        when = format_clock(start)
        if entry.ended_at is not None and entry.ended_at.astimezone(tz).date() != start.date():
            when = f"{format_weekday_day_month(start.date())} {when}"
        lines.append(
            f"Promoted from the waitlist: {entry.member_name}, {entry.appointment_type} {when}"
        )
    return "\n".join(lines)
