"""Staff members: who teaches, who sells, who is on the calendar."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import StaffMember, StaffRole
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.ids import StaffId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import StaffView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import clean_text
from desk.services.records import audit

_UNSET: Any = object()


def staff_view(row: StaffMember) -> StaffView:
    return StaffView(
        id=row.id,
        name=row.name,
        role=StaffRole(row.role),
        active=row.active,
        takes_bookings=row.takes_bookings,
    )


def load_staff(session: Session, staff_id: int, *, lock: bool = False) -> StaffMember:
    """The staff row (locked until commit when ``lock``, so a read-then-write
    isn't overtaken by another desk's write). Raises NotFound."""
    row = session.get(StaffMember, staff_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"There is no staff member #{staff_id}.")
    return row


def _role(value: StaffRole | str) -> StaffRole:
    try:
        return StaffRole(value)
    except ValueError:
        roles = ", ".join(r.value for r in StaffRole)
        raise ValidationError("role", f"{value!r} is not a role; use one of {roles}.") from None


def _audited(row: StaffMember) -> dict[str, Any]:
    return {
        "name": row.name,
        "role": row.role,
        "active": row.active,
        "takes_bookings": row.takes_bookings,
    }


class StaffService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    @retry_transient
    def create(
        self,
        *,
        name: str,
        role: StaffRole | str = StaffRole.COACH,
        takes_bookings: bool = True,
        actor: Actor,
    ) -> Outcome[StaffView]:
        """Add a staff member (on the calendar unless ``takes_bookings`` is False).
        Raises ValidationError for an empty name or unknown role."""
        clean_name = clean_text(name, "name")
        if not clean_name:
            raise ValidationError("name", "A staff member needs a name.")
        role_value = _role(role)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_STAFF) as session:
            row = StaffMember(
                name=clean_name,
                role=role_value.value,
                active=True,
                takes_bookings=bool(takes_bookings),
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                at=now,
                actor=actor,
                action="staff.create",
                entity="staff",
                entity_id=row.id,
                after=_audited(row),
            )
            view = staff_view(row)
        return Outcome(view, Changes.of(catalog=True))

    @retry_transient
    def update(
        self,
        staff_id: StaffId,
        *,
        name: str = _UNSET,
        role: StaffRole | str = _UNSET,
        active: bool = _UNSET,
        takes_bookings: bool = _UNSET,
        actor: Actor,
    ) -> Outcome[StaffView]:
        """Change the given fields; a field already at its value is left alone (an
        update changing nothing records nothing). Raises NotFound and ValidationError."""
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_STAFF) as session:
            # Locked before it is read: the audited "before" is what this change replaced.
            row = load_staff(session, staff_id, lock=True)
            before = _audited(row)
            if name is not _UNSET:
                clean_name = clean_text(name, "name")
                if not clean_name:
                    raise ValidationError("name", "A staff member needs a name.")
                row.name = clean_name
            if role is not _UNSET:
                row.role = _role(role).value
            if active is not _UNSET:
                row.active = bool(active)
            if takes_bookings is not _UNSET:
                row.takes_bookings = bool(takes_bookings)
            audit.record_update(
                session,
                at=now,
                actor=actor,
                action="staff.update",
                entity="staff",
                entity_id=row.id,
                before=before,
                after=_audited(row),
            )
            view = staff_view(row)
        return Outcome(view, Changes.of(catalog=True))

    def deactivate(self, staff_id: StaffId, *, actor: Actor) -> Outcome[StaffView]:
        """Take someone off the calendar; their history stays. Raises NotFound."""
        return self.update(staff_id, active=False, actor=actor)

    def set_takes_bookings(
        self, staff_id: StaffId, takes_bookings: bool, *, actor: Actor
    ) -> Outcome[StaffView]:
        """Put someone on the calendar (True) or take them off it (False); setting
        what is already set changes and records nothing. Raises NotFound."""
        return self.update(staff_id, takes_bookings=takes_bookings, actor=actor)

    def get(self, staff_id: StaffId) -> StaffView:
        """One staff member. Raises NotFound."""
        with self._db.read() as session:
            return staff_view(load_staff(session, staff_id))

    def namesakes(self, name: str) -> list[StaffView]:
        """Staff (active or not) already called ``name``, ignoring case and spaces
        around it: asked before adding someone, so nobody is added twice by mistake."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return []
        with self._db.read() as session:
            rows = session.scalars(select(StaffMember).order_by(StaffMember.id))
            return [staff_view(r) for r in rows if " ".join(r.name.split()).casefold() == wanted]

    def sign_in_names(self) -> dict[int, str]:
        """Staff id -> username, for the staff who can sign in (have a password)."""
        query = select(StaffMember.id, StaffMember.username).where(
            StaffMember.username.is_not(None), StaffMember.password_hash.is_not(None)
        )
        with self._db.read() as session:
            return {int(i): str(u) for i, u in session.execute(query).all()}

    def list(self, *, include_inactive: bool = False) -> list[StaffView]:
        """Staff by name; inactive ones only when asked."""
        query = select(StaffMember).order_by(func.lower(StaffMember.name))
        if not include_inactive:
            query = query.where(StaffMember.active.is_(True))
        with self._db.read() as session:
            return [staff_view(r) for r in session.scalars(query)]
