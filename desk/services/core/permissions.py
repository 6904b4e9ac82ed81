"""Who may do what: roles checked in the services, not only by greyed-out buttons.

Every write names its ``Actor``. A staff actor is checked against their role
inside the write's own transaction (``authorized``), so a role changed or an
account deactivated by another desk a moment earlier counts; a system actor
(the command line, start-up housekeeping) is allowed and named in the audit
log. Anything that is not an ``Actor`` is refused: the check fails closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import Appointment, StaffMember, StaffRole
from desk.services.core.actor import Actor
from desk.services.core.errors import NotFound, PermissionDenied


class Permission(StrEnum):
    MANAGE_MEMBERS = "manage members"
    ADD_FREE_CREDITS = "add credits at $0 with a note"
    ADD_PRICED_CREDITS = "add credits at a custom price"
    ADJUST_CREDITS = "adjust credits"
    BOOK = "book and cancel sessions"
    CHECK_IN = "check members in"
    REVERSE_STATUS = "undo a check-in, no-show or late cancel"
    FORGIVE = "forgive a late cancel or no-show afterwards"
    SELL_AT_LIST_PRICE = "sell packages and plans at catalog prices"
    CUSTOM_PRICE = "change a sale's price"
    VOID = "void a sale"
    TAKE_PAYMENT = "record payments"
    ACCOUNT_CREDIT = "give account credit"
    BILLING = "run billing"
    IMPORT = "import and undo imports"
    SETTINGS = "change settings (types, catalog)"
    MANAGE_STAFF = "manage staff accounts"
    RESTORE = "restore a backup"
    BACKUP = "back up the database"
    EXPIRE = "expire credits past their date"
    MONEY_REPORTS = "see money reports (liability, sales, everyone's pay)"
    DESK_REPORTS = "see desk reports (end of day, expiring, attendance)"
    OWN_PAY = "see their own coach pay"
    OVERRIDE_BOOKING_RULES = "book inside a type's notice or beyond its horizon"
    MERGE_MEMBERS = "merge duplicate member records"
    BOOK_UNPAID = "book a session without a credit (unpaid)"
    WAIVE_FEE = "waive a late-cancel or no-show fee"
    HOLD_CREDITS = "put a member on hold (freeze their credits and plans)"


_FRONT_DESK = {
    Permission.MANAGE_MEMBERS,
    Permission.ADD_FREE_CREDITS,
    Permission.BOOK,
    Permission.CHECK_IN,
    Permission.SELL_AT_LIST_PRICE,
    Permission.TAKE_PAYMENT,
    Permission.BACKUP,
    Permission.DESK_REPORTS,
    Permission.OWN_PAY,
}
# Coaches see the calendar and check in their own sessions (checked per appointment);
# of the reports they see their own pay only.
_COACH = {Permission.CHECK_IN, Permission.OWN_PAY}

ROLE_PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.OWNER: frozenset(Permission),
    StaffRole.ADMIN: frozenset(Permission),
    StaffRole.FRONT_DESK: frozenset(_FRONT_DESK),
    StaffRole.COACH: frozenset(_COACH),
}

ROLE_LABELS = {
    StaffRole.OWNER: "owner",
    StaffRole.ADMIN: "admin",
    StaffRole.FRONT_DESK: "front desk",
    StaffRole.COACH: "coach",
}


def role_allows(role: StaffRole, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def authorize(session: Session, actor: Actor, *permissions: Permission) -> StaffRole | None:
    """Check ``actor`` against every one of ``permissions`` in the caller's transaction.

    Returns the staff member's role (None for a system actor). The staff row is
    read with a shared lock where the database has one, so a deactivation by
    another desk either happened before (and is seen) or waits for this write.
    Raises PermissionDenied for a missing actor, an inactive account or a role
    without the permission; NotFound for an unknown staff id.
    """
    if not isinstance(actor, Actor):
        raise PermissionDenied("No one is signed in: sign in to make changes.")
    if actor.is_system:
        return None
    staff = session.scalar(
        select(StaffMember).where(StaffMember.id == actor.staff_id).with_for_update(read=True)
    )
    if staff is None:
        raise NotFound(f"There is no staff member #{actor.staff_id}.")
    role = StaffRole(staff.role)
    if not staff.active:
        raise PermissionDenied(f"{staff.name}'s account is deactivated.")
    for permission in permissions:
        if not role_allows(role, permission):
            raise PermissionDenied(
                f"{staff.name} ({ROLE_LABELS[role]}) may not {permission.value}; "
                "ask an owner or admin."
            )
    return role


@contextmanager
def authorized(db: Database, actor: Actor, *permissions: Permission) -> Iterator[Session]:
    """A write transaction that starts by checking ``actor`` (see ``authorize``)."""
    with db.write() as session:
        authorize(session, actor, *permissions)
        yield session


def allowed(session: Session, actor: Actor, permission: Permission) -> bool:
    """Whether ``actor`` may do this now (for greying out buttons; writes check again)."""
    try:
        authorize(session, actor, permission)
    except (PermissionDenied, NotFound):
        return False
    return True


def require_own_appointment(session: Session, role: StaffRole | None, actor: Actor,
                            appointment_id: int) -> None:  # fmt: skip
    """Coaches may check in or mark no-show only on their own sessions."""
    if role != StaffRole.COACH:
        return
    owner = session.scalar(select(Appointment.staff_id).where(Appointment.id == appointment_id))
    if owner is not None and owner != actor.staff_id:
        raise PermissionDenied("Coaches check in their own sessions only.")
