"""What the desk says when it checks someone in or marks a no-show, from any screen
(Today, the calendar, a profile): one wording, in the desk's formats."""

from __future__ import annotations

from datetime import tzinfo

from desk.services.core.read_models import AppointmentView
from desk.services.selling.fees import FeeDue
from desk.ui.widgets.fee_words import fee_sentence
from desk.ui.widgets.formatting import format_time

NO_SHOW_TITLE = "Mark as no-show"


def checked_in(appt: AppointmentView) -> str:
    return f"Checked in {appt.member_name} ({appt.appointment_type})."


def no_show_question(appt: AppointmentView, tz: tzinfo, fee: FeeDue | None = None) -> str:
    forfeit = "" if fee is not None and fee.replaces_forfeit else " The credit is forfeited."
    return (
        f"Mark {appt.member_name} as a no-show for {format_time(appt.starts_at, tz)} "
        f"{appt.appointment_type}?{forfeit}{fee_sentence(fee)}"
    )


def marked_no_show(appt: AppointmentView) -> str:
    return f"{appt.member_name} marked as a no-show; the credit is forfeited."
