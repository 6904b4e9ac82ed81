"""Which appointment each fee or waiver on an account is for (the Account tab's rows)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import AccountEntry, AccountEntryKind, Appointment, AppointmentType
from desk.services.selling.sales_views import FeeLink

_FEE_KINDS = (AccountEntryKind.FEE.value, AccountEntryKind.WAIVER.value)


def fee_links(session: Session, entries: Sequence[AccountEntry]) -> dict[int, FeeLink]:
    """Entry id -> its appointment, for the fees and waivers among ``entries``; a fee
    counts as waived when one of ``entries`` (the member's) reverses it."""
    linked = [e for e in entries if e.kind in _FEE_KINDS and e.appointment_id is not None]
    if not linked:
        return {}
    waived = {e.reverses_id for e in entries if e.kind == AccountEntryKind.WAIVER.value}
    ids = {e.appointment_id for e in linked}
    appointments = {
        appt_id: (name, starts_at)
        for appt_id, name, starts_at in session.execute(
            select(Appointment.id, AppointmentType.name, Appointment.starts_at)
            .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
            .where(Appointment.id.in_(ids))
        )
    }
    links = {}
    for e in linked:
        assert e.appointment_id is not None
        name, starts_at = appointments[e.appointment_id]
        is_waived = e.kind == AccountEntryKind.FEE.value and e.id in waived
        links[e.id] = FeeLink(e.appointment_id, name, starts_at, is_waived)
    return links
