"""Who may do what: roles checked in the services, not only by greyed-out buttons.

Calls made with ``by=None`` come from the system itself (the command line on the
desk's own machine, start-up housekeeping, tests); calls made on behalf of a
signed-in staff member carry their id and are checked against their role.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import select

from desk.db import Database
from desk.models import Appointment, StaffMember, StaffRole
from desk.services.core.errors import NotFound, PermissionDenied

P = ParamSpec("P")
R = TypeVar("R")


class Permission(StrEnum):
    MANAGE_MEMBERS = "manage members"
    ADD_FREE_CREDITS = "add credits at $0 with a note"
    ADD_PRICED_CREDITS = "add credits at a custom price"
    ADJUST_CREDITS = "adjust credits"
    BOOK = "book and cancel sessions"
    CHECK_IN = "check members in"
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


_FRONT_DESK = {
    Permission.MANAGE_MEMBERS,
    Permission.ADD_FREE_CREDITS,
    Permission.BOOK,
    Permission.CHECK_IN,
    Permission.SELL_AT_LIST_PRICE,
    Permission.TAKE_PAYMENT,
}
# Coaches see the calendar and check in their own sessions (checked per appointment).
_COACH = {Permission.CHECK_IN}

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


def check(db: Database, staff_id: int | None, permission: Permission) -> StaffRole | None:
    """The acting staff member's role, or PermissionDenied if it doesn't allow this.

    ``staff_id`` None (the system) is always allowed. Raises NotFound for an
    unknown staff id and PermissionDenied for an inactive account too.
    """
    if staff_id is None:
        return None
    with db.read() as session:
        staff = session.get(StaffMember, staff_id)
        if staff is None:
            raise NotFound(f"There is no staff member #{staff_id}.")
        role = StaffRole(staff.role)
        if not staff.active:
            raise PermissionDenied(f"{staff.name}'s account is deactivated.")
        if not role_allows(role, permission):
            raise PermissionDenied(
                f"{staff.name} ({ROLE_LABELS[role]}) may not {permission.value}; "
                "ask an owner or admin."
            )
        return role


def requires(
    permission: Permission, *, when: Callable[[dict[str, Any]], bool] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Check ``by`` (a keyword argument) against ``permission`` before the call.

    With ``when``, only calls whose keyword arguments satisfy it are checked (a
    front desk may add credits at $0, not at a price of their choosing).
    """

    def wrap(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            if when is None or when(kwargs):
                by = kwargs.get("by")
                db: Database = args[0]._db  # type: ignore[attr-defined]
                check(db, by if isinstance(by, int) else None, permission)
            return method(*args, **kwargs)

        return checked

    return wrap


def require_own_appointment(db: Database, staff_id: int | None, appointment_id: int) -> None:
    """Coaches may check in or mark no-show only on their own sessions."""
    role = check(db, staff_id, Permission.CHECK_IN)
    if role != StaffRole.COACH:
        return
    with db.read() as session:
        owner = session.scalar(select(Appointment.staff_id).where(Appointment.id == appointment_id))
    if owner is not None and owner != staff_id:
        raise PermissionDenied("Coaches check in their own sessions only.")
