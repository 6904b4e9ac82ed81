"""Staff accounts: the owner created on first run, sign-in, passwords (argon2)."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import StaffMember, StaffRole
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import AuthenticationFailed, InvalidState, NotFound, ValidationError
from desk.services.core.ids import StaffId
from desk.services.core.permissions import Permission, allowed, authorize
from desk.services.core.read_models import StaffView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import clean_text
from desk.services.people.staff import staff_view
from desk.services.records import audit

MIN_PASSWORD = 8
# Serialises the writes that check a username is free (or that no owner exists yet).
LOGINS_LOCK = "desk.staff_logins"
_USERNAME = re.compile(r"^[a-z0-9._-]{2,60}$")
# One hasher for the process: argon2id with the library's current defaults.
_hasher = PasswordHasher()


def _username(value: str) -> str:
    name = value.strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            "username", "A username is 2-60 letters, digits, dots, dashes or underscores."
        )
    return name


def _password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise ValidationError("password", f"A password has at least {MIN_PASSWORD} characters.")
    if len(value) > 200:
        raise ValidationError("password", "That password is too long.")
    return value


class AuthService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def needs_owner(self) -> bool:
        """True until someone can sign in: the first run creates the owner account."""
        with self._db.read() as session:
            return not session.scalar(
                select(func.count(StaffMember.id)).where(StaffMember.password_hash.is_not(None))
            )

    @retry_transient
    def create_owner(self, *, name: str, username: str, password: str) -> Outcome[StaffView]:
        """Create the first account (role owner). Raises InvalidState once any
        account can sign in, ValidationError for a bad name, username or password."""
        clean_name = clean_text(name, "name")
        if not clean_name:
            raise ValidationError("name", "Enter your name.")
        login = _username(username)
        hashed = _hasher.hash(_password(password))
        now = self._clock.now()
        with self._db.write() as session:
            # Two desks on a first run: the second waits here, then finds the owner.
            lock_for_transaction(session, LOGINS_LOCK)
            if session.scalar(
                select(func.count(StaffMember.id)).where(StaffMember.password_hash.is_not(None))
            ):
                raise InvalidState("An owner account exists already; sign in instead.")
            self._check_free(session, login, None)
            row = StaffMember(
                name=clean_name,
                role=StaffRole.OWNER.value,
                active=True,
                username=login,
                password_hash=hashed,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                at=now,
                actor=Actor.staff(StaffId(row.id)),
                action="staff.create_owner",
                entity="staff",
                entity_id=row.id,
                after={"name": clean_name, "username": login},
            )
            view = staff_view(row)
        return Outcome(view, Changes.of(catalog=True))

    def sign_in(self, username: str, password: str) -> StaffView:
        """The active staff member with this username and password.

        Every attempt is audited: ``staff.sign_in``, or ``staff.sign_in_failed``
        with the username as typed (never the password; entity_id None for an
        unknown username). Raises AuthenticationFailed without saying which of
        the two was wrong.
        """
        login = username.strip().lower()
        with self._db.read() as session:
            row = session.scalar(select(StaffMember).where(StaffMember.username == login))
            found = row.id if row is not None else None
            stored = row.password_hash if row is not None else None
            try:
                if row is None or stored is None or not row.active:
                    raise VerifyMismatchError
                _hasher.verify(stored, password)
                view: StaffView | None = staff_view(row)
            except (VerificationError, InvalidHashError):
                view = None
            rehash = view is not None and stored is not None and _hasher.check_needs_rehash(stored)
        now = self._clock.now()
        with self._db.write() as session:
            if view is None:
                audit.record(
                    session,
                    at=now,
                    actor=Actor.system("sign-in"),
                    action="staff.sign_in_failed",
                    entity="staff",
                    entity_id=found,
                    after={"username": username.strip()[:120]},
                )
            else:
                audit.record(
                    session,
                    at=now,
                    actor=Actor.staff(StaffId(view.id)),
                    action="staff.sign_in",
                    entity="staff",
                    entity_id=view.id,
                    after={"username": login},
                )
                again = session.get(StaffMember, view.id) if rehash else None
                if again is not None:
                    # Parameters got stronger since this hash was made: upgrade it now.
                    again.password_hash = _hasher.hash(password)
        if view is None:
            raise AuthenticationFailed("Wrong username or password.")
        return view

    def record_lock(self, *, reason: str, actor: Actor) -> Outcome[None]:
        """Audit that ``actor``'s desk locked (``reason``: "Ctrl+L", "idle").

        Raises PermissionDenied for an inactive or missing account.
        """
        return self._record_desk("desk.lock", {"how": reason}, actor)

    def record_unlock(self, *, actor: Actor) -> Outcome[None]:
        """Audit that ``actor`` signed in at a locked desk and unlocked it.

        Raises PermissionDenied for an inactive or missing account.
        """
        return self._record_desk("desk.unlock", None, actor)

    def _record_desk(
        self, action: str, after: dict[str, str] | None, actor: Actor
    ) -> Outcome[None]:
        now = self._clock.now()
        with self._db.write() as session:
            authorize(session, actor)
            audit.record(
                session,
                at=now,
                actor=actor,
                action=action,
                entity="staff",
                entity_id=actor.staff_id,
                after=after,
            )
        return Outcome(None, Changes.of())

    @retry_transient
    def set_login(
        self, staff_id: StaffId, *, username: str, password: str, actor: Actor
    ) -> Outcome[StaffView]:
        """Give a staff member a username and password (or new ones).

        Owners and admins may do it for anyone; everyone may change their own
        password. Raises PermissionDenied, ValidationError, NotFound.
        """
        login = _username(username)
        hashed = _hasher.hash(_password(password))
        now = self._clock.now()
        with self._db.write() as session:
            # Serialised so that a username taken at the same moment by another desk
            # is seen by _check_free (a ValidationError, not a duplicate-key error).
            # Taken before authorize's share lock on a staff row: the other way round,
            # an admin setting B's login while B changes their own would deadlock.
            lock_for_transaction(session, LOGINS_LOCK)
            if isinstance(actor, Actor) and actor.staff_id == staff_id:
                authorize(session, actor)  # an active account, changing its own password
            else:
                authorize(session, actor, Permission.MANAGE_STAFF)
            row = session.get(StaffMember, staff_id)
            if row is None:
                raise NotFound(f"There is no staff member #{staff_id}.")
            self._check_free(session, login, row.id)
            row.username = login
            row.password_hash = hashed
            audit.record(
                session,
                at=now,
                actor=actor,
                action="staff.set_login",
                entity="staff",
                entity_id=row.id,
                after={"username": login},
            )
            view = staff_view(row)
        return Outcome(view, Changes.of(catalog=True))

    def can(self, actor: Actor, permission: Permission) -> bool:
        """Whether ``actor`` may do this now: screens grey out what the role doesn't
        allow. The write itself checks again (see permissions.authorize)."""
        with self._db.read() as session:
            return allowed(session, actor, permission)

    def permissions(self, actor: Actor) -> frozenset[Permission]:
        """Everything ``actor`` may do now (empty for an inactive or unknown account)."""
        with self._db.read() as session:
            return frozenset(p for p in Permission if allowed(session, actor, p))

    def username_of(self, staff_id: StaffId) -> str | None:
        with self._db.read() as session:
            row = session.get(StaffMember, staff_id)
            return row.username if row is not None else None

    @staticmethod
    def _check_free(session: Session, login: str, staff_id: int | None) -> None:
        other = session.scalar(select(StaffMember.id).where(StaffMember.username == login))
        if other is not None and other != staff_id:
            raise ValidationError("username", f"The username {login!r} is taken.")
