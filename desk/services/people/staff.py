"""Staff members: who teaches, who sells, who is on the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import StaffMember, StaffPayRule, StaffRole
from desk.services.calendar.appointment_types import load_type
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.services.core.money import MAX_CENTS
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


@dataclass(frozen=True, slots=True)
class PayRuleView:
    """What a staff member earns per attended session of a type: ``rate_cents``
    or ``percent`` of the value of the credit that paid (exactly one is set)."""

    staff_id: int
    appointment_type_id: int
    rate_cents: int | None
    percent: int | None


def _pay_rule_view(row: StaffPayRule) -> PayRuleView:
    return PayRuleView(row.staff_id, row.appointment_type_id, row.rate_cents, row.percent)


def _check_pay(rate_cents: int | None, percent: int | None) -> None:
    if rate_cents is not None and percent is not None:
        raise ValidationError("rate", "Pay a rate or a percentage, not both.")
    for value, field, top in ((rate_cents, "rate", MAX_CENTS), (percent, "percent", 100)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top
        ):
            raise ValidationError(field, f"The {field} must be a whole number from 0 to {top}.")


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

    @retry_transient
    def set_pay_rule(
        self,
        staff_id: StaffId,
        *,
        appointment_type_id: AppointmentTypeId,
        rate_cents: int | None = None,
        percent: int | None = None,
        actor: Actor,
    ) -> Outcome[PayRuleView | None]:
        """Set what ``staff_id`` earns per attended session of a type: ``rate_cents``
        or ``percent`` of the paying credit's value; neither removes the rule.

        Raises NotFound for an unknown staff member or type, ValidationError for
        both given or a value out of range, PermissionDenied without the staff
        permission.
        """
        _check_pay(rate_cents, percent)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_STAFF) as session:
            load_staff(session, staff_id)
            load_type(session, appointment_type_id)
            # Read FOR UPDATE, so "before" in the audit log is what this change
            # really replaced; two desks inserting the first rule at once clash on
            # the unique key and @retry_transient runs the loser again as an update.
            row = session.scalar(
                select(StaffPayRule)
                .where(
                    StaffPayRule.staff_id == staff_id,
                    StaffPayRule.appointment_type_id == appointment_type_id,
                )
                .with_for_update()
            )
            before = None if row is None else {"rate_cents": row.rate_cents, "percent": row.percent}
            view: PayRuleView | None = None
            if rate_cents is None and percent is None:
                if row is not None:
                    session.delete(row)
            else:
                if row is None:
                    row = StaffPayRule(staff_id=staff_id, appointment_type_id=appointment_type_id)
                    session.add(row)
                row.rate_cents, row.percent, row.updated_at = rate_cents, percent, now
                session.flush()
                view = _pay_rule_view(row)
            after = None if view is None else {"rate_cents": rate_cents, "percent": percent}
            audit.record(
                session, at=now, actor=actor, action="staff.pay_rule", entity="staff",
                entity_id=staff_id,
                before={"appointment_type_id": appointment_type_id, "rule": before},
                after={"appointment_type_id": appointment_type_id, "rule": after},
            )  # fmt: skip
        return Outcome(view, Changes.of(catalog=True))

    def pay_rules(self, staff_id: StaffId) -> list[PayRuleView]:
        """The staff member's pay rules by type id. Raises NotFound."""
        with self._db.read() as session:
            load_staff(session, staff_id)
            rows = session.scalars(
                select(StaffPayRule)
                .where(StaffPayRule.staff_id == staff_id)
                .order_by(StaffPayRule.appointment_type_id)
            )
            return [_pay_rule_view(r) for r in rows]

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
