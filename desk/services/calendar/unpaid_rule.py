"""Who may book a session without a credit ("book now, pay later"): the one rule.

Owners and admins may (``Permission.BOOK_UNPAID``); the gym setting
``front_desk_books_unpaid`` (Settings > General) extends it to the front desk.
A coach never books. ``may_book_unpaid`` is the rule; ``take_or_owe`` is the step
of a booking that found no credit and was asked to book unpaid.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from desk.models import StaffMember, StaffRole
from desk.services.core.actor import Actor
from desk.services.core.errors import NotFound, PermissionDenied
from desk.services.core.permissions import ROLE_LABELS, Permission, authorize, role_allows
from desk.services.core.settings_values import read_raw
from desk.services.credits import ledger
from desk.services.people.members import lock_member

FRONT_DESK_BOOKS_UNPAID = "front_desk_books_unpaid"
"""The gym setting's key: "1" when the front desk may book unpaid too (default "0")."""


def front_desk_books_unpaid(session: Session) -> bool:
    """The gym setting in the caller's transaction (off unless turned on)."""
    return read_raw(session, FRONT_DESK_BOOKS_UNPAID) == "1"


def may_book_unpaid(session: Session, actor: Actor) -> bool:
    """Whether ``actor`` may book without a credit now: the system, a role with
    BOOK_UNPAID, or the front desk while the gym's setting says so."""
    try:
        role = authorize(session, actor, Permission.BOOK)
    except (PermissionDenied, NotFound):
        return False
    if role is None or role_allows(role, Permission.BOOK_UNPAID):
        return True
    return role == StaffRole.FRONT_DESK and front_desk_books_unpaid(session)


def authorize_unpaid(session: Session, actor: Actor) -> None:
    """Raise PermissionDenied unless ``may_book_unpaid``."""
    if may_book_unpaid(session, actor):
        return
    staff = session.get(StaffMember, actor.staff_id) if isinstance(actor, Actor) else None
    who = f"{staff.name} ({ROLE_LABELS[StaffRole(staff.role)]})" if staff else "No one"
    raise PermissionDenied(
        f"{who} may not {Permission.BOOK_UNPAID.value}; ask an owner or admin "
        '(or turn on "The front desk may book unpaid" in Settings > General).'
    )


def take_or_owe(
    session: Session, actor: Actor, member_id: int, type_id: int, usable_on: date
) -> int | None:
    """A booking found no credit and may be booked unpaid: check who may (PermissionDenied),
    lock the member, then look again (a grant may have committed meanwhile). The
    paying lot's id if a credit is there now, None when the booking is to owe one."""
    authorize_unpaid(session, actor)
    lock_member(session, member_id)
    return ledger.take_one(session, member_id, type_id, usable_on)
