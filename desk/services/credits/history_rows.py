"""History rows of credit entries: the query's columns and the row each entry makes.

A member's history (``CreditReads.history``) and a shared pool's
(``PoolReads.pool_history``) both read entries this way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    CreditEntry,
    CreditLot,
    EntryKind,
    StaffMember,
)
from desk.services.core.read_models import HistoryKind, HistoryRow

FORGIVABLE_STATUSES = (AppointmentStatus.NO_SHOW.value, AppointmentStatus.LATE_CANCELLED.value)


def history_entries() -> Select[*tuple[Any, ...]]:
    """Credit entries with what a history row says of them (``entry_row``), unfiltered.

    Plain columns, not ORM objects: a member with years of visits has thousands of
    rows, and building three objects per row cost most of a profile's opening.
    """
    booker = aliased(StaffMember)
    coach = aliased(StaffMember)
    return (
        select(
            CreditEntry.id,
            CreditEntry.at,
            CreditEntry.kind,
            CreditEntry.delta,
            CreditEntry.reason,
            CreditEntry.appointment_id,
            CreditLot.id.label("lot_id"),
            CreditLot.source,
            AppointmentType.name.label("type_name"),
            booker.name.label("by"),
            Appointment.starts_at.label("appointment_at"),
            Appointment.status.label("appointment_status"),
            Appointment.notes.label("appointment_notes"),
            coach.name.label("coach_name"),
        )
        .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
        .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
        .outerjoin(booker, booker.id == CreditEntry.by_id)
        .outerjoin(Appointment, Appointment.id == CreditEntry.appointment_id)
        .outerjoin(coach, coach.id == Appointment.staff_id)
    )


def entry_row(entry: Any) -> HistoryRow:
    """A history row from a credit entry joined to its lot, type and appointment."""
    kind = EntryKind(entry.kind)
    detail = entry.reason
    if kind == EntryKind.GRANT:
        history_kind = HistoryKind.SOLD
        detail = entry.source.capitalize() + (f": {entry.reason}" if entry.reason else "")
    elif kind == EntryKind.BOOK:
        history_kind = HistoryKind.BOOKED
        detail = entry.appointment_notes or ""
    elif kind == EntryKind.RELEASE:
        # A release on an appointment still late-cancelled or a no-show: forgiven.
        forgiven = entry.appointment_status in FORGIVABLE_STATUSES
        history_kind = HistoryKind.FORGIVEN if forgiven else HistoryKind.CANCELLED
    elif kind == EntryKind.FORFEIT:
        # By the entry's own reason, not the appointment's status now: a no-show
        # undone is booked again, and may be late-cancelled later.
        is_no_show = entry.reason == "no-show" or (
            entry.reason == "" and entry.appointment_status == AppointmentStatus.NO_SHOW.value
        )
        history_kind = HistoryKind.NO_SHOW if is_no_show else HistoryKind.LATE_CANCELLED
    elif kind == EntryKind.REVERSE:
        history_kind = HistoryKind.UNDONE
    elif kind == EntryKind.ADJUST:
        history_kind = HistoryKind.ADJUSTED
    else:
        history_kind = HistoryKind.EXPIRED
    return HistoryRow(
        at=entry.at,
        kind=history_kind,
        appointment_type=entry.type_name,
        staff=entry.coach_name,
        credit_effect=entry.delta,
        by=entry.by,
        detail=detail,
        lot_id=entry.lot_id,
        appointment_id=entry.appointment_id,
        appointment_at=entry.appointment_at,
    )
