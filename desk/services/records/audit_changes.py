"""Which screens an audited change concerns, for the change log of other desks.

Every write records an audit event in its transaction, so deriving the change-log
entry from the event covers every write without each service repeating it; an
entity this table doesn't know makes the other desks reload everything rather
than miss something.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desk.db_changes import note_changes

_CATALOG = frozenset({"appointment_type", "staff", "package", "plan", "setting"})
_SHOWN_NOWHERE = frozenset({"staff.sign_in", "staff.sign_in_failed", "desk.lock", "desk.unlock"})
"""Audited for the record only: no screen of another desk shows them."""


def note_audited_change(
    session: Session, action: str, entity: str, entity_id: int | None, member_id: int | None
) -> None:
    """Note in ``session`` what an audit event about ``entity`` changed."""
    if action in _SHOWN_NOWHERE:
        return
    member = [member_id] if member_id is not None else []
    if entity == "member" and (member_id or entity_id) is not None:
        note_changes(session, members=[member_id or entity_id or 0])
    elif entity == "credit_lot" and member:
        note_changes(session, credits=member)
    elif entity == "subscription" and member:
        note_changes(session, members=member, credits=member)
    elif entity == "appointment" and entity_id is not None:
        note_changes(session, appointments=[entity_id], bookings=member, credits=member, members=[])
    elif entity == "waitlist_entry" and member:
        note_changes(session, bookings=member)
    elif entity in _CATALOG:
        note_changes(session, catalog=True)
    else:
        note_changes(session, everything=True)
