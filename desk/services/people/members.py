"""Members: create, update, archive, find and search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import CreditLot, Member, MemberStatus
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock, today
from desk.services.core.errors import AmbiguousReference, InvalidState, NotFound, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.read_models import MemberMatch, MemberView
from desk.services.core.retry import retry_transient
from desk.services.core.validation import (
    MAX_TEXT,
    clean_email,
    clean_phone,
    clean_text,
    phone_digits,
)
from desk.services.credits.paying_lot import can_pay_on
from desk.services.people.member_search import search_members
from desk.services.records import audit

_UNSET: Any = object()


def member_view(member: Member) -> MemberView:
    return MemberView(
        id=member.id,
        first_name=member.first_name,
        last_name=member.last_name,
        email=member.email,
        phone=member.phone,
        notes=member.notes,
        status=MemberStatus(member.status),
        external_id=member.external_id,
        created_at=member.created_at,
        updated_at=member.updated_at,
    )


def _snapshot(member: Member) -> dict[str, Any]:
    return {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "phone": member.phone,
        "notes": member.notes,
        "status": member.status,
        "external_id": member.external_id,
    }


def load_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"There is no member #{member_id}.")
    return member


def lock_member(session: Session, member_id: int) -> Member:
    """The member, row-locked until the transaction ends. Raises NotFound.

    Every write that reads something of the member's and decides on it (the
    status, the account balance, the plans they are on) locks this row first,
    so a second desk doing the same waits and then reads what the first wrote
    (PostgreSQL, READ COMMITTED). FOR NO KEY UPDATE: inserting a row that
    refers to the member (a lot, an account entry) takes KEY SHARE on it,
    which FOR UPDATE would conflict with and turn two sales into a deadlock.
    SQLite ignores the clause; its BEGIN IMMEDIATE already serialises writers.
    """
    member = session.scalar(
        select(Member)
        .where(Member.id == member_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    if member is None:
        raise NotFound(f"There is no member #{member_id}.")
    return member


class MemberService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- writes ---------------------------------------------------------------------------

    @retry_transient
    def create(
        self,
        *,
        first_name: str,
        last_name: str,
        email: str | None = None,
        phone: str | None = None,
        notes: str = "",
        external_id: str | None = None,
        actor: Actor,
    ) -> Outcome[MemberView]:
        """Create a member.

        Raises ValidationError (with the field) for a missing name, a malformed
        email or phone, or an external id another member already has. Duplicate
        emails are allowed (families share one); see ``find_by_email``.
        """
        values = self._clean(first_name, last_name, email, phone, notes, external_id)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_MEMBERS) as session:
            self._check_external_id(session, values["external_id"], None)
            member = Member(
                **values, status=MemberStatus.ACTIVE.value, created_at=now, updated_at=now
            )
            session.add(member)
            session.flush()
            audit.record(
                session,
                at=now,
                actor=actor,
                action="member.create",
                entity="member",
                entity_id=member.id,
                member_id=member.id,
                after=_snapshot(member),
            )
            view = member_view(member)
        return Outcome(view, Changes.of(members=[view.id]))

    @retry_transient
    def update(
        self,
        member_id: MemberId,
        *,
        first_name: str = _UNSET,
        last_name: str = _UNSET,
        email: str | None = _UNSET,
        phone: str | None = _UNSET,
        notes: str = _UNSET,
        external_id: str | None = _UNSET,
        actor: Actor,
    ) -> Outcome[MemberView]:
        """Change the given fields of a member; fields left out stay as they are.

        Raises NotFound and ValidationError (as ``create``).
        """
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_MEMBERS) as session:
            member = lock_member(session, member_id)
            before = _snapshot(member)
            values = self._clean(
                member.first_name if first_name is _UNSET else first_name,
                member.last_name if last_name is _UNSET else last_name,
                member.email if email is _UNSET else email,
                member.phone if phone is _UNSET else phone,
                member.notes if notes is _UNSET else notes,
                member.external_id if external_id is _UNSET else external_id,
            )
            self._check_external_id(session, values["external_id"], member.id)
            for key, value in values.items():
                setattr(member, key, value)
            if audit.record_update(
                session,
                at=now,
                actor=actor,
                action="member.update",
                entity="member",
                entity_id=member.id,
                member_id=member.id,
                before=before,
                after=_snapshot(member),
            ):
                member.updated_at = now
            view = member_view(member)
        return Outcome(view, Changes.of(members=[view.id]))

    @retry_transient
    def archive(self, member_id: MemberId, *, actor: Actor) -> Outcome[MemberView]:
        """Archive a member: kept with all history, hidden from booking.

        Raises NotFound, and InvalidState if already archived.
        """
        return self._set_status(member_id, MemberStatus.ARCHIVED, actor)

    @retry_transient
    def reactivate(self, member_id: MemberId, *, actor: Actor) -> Outcome[MemberView]:
        """Bring an archived member back. Raises NotFound, and InvalidState if active."""
        return self._set_status(member_id, MemberStatus.ACTIVE, actor)

    def _set_status(
        self, member_id: MemberId, status: MemberStatus, actor: Actor
    ) -> Outcome[MemberView]:
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MANAGE_MEMBERS) as session:
            member = lock_member(session, member_id)
            if member.status == status.value:
                raise InvalidState(
                    f"{member.first_name} {member.last_name} is already {status.value}."
                )
            before = member.status
            member.status = status.value
            member.updated_at = now
            audit.record(
                session,
                at=now,
                actor=actor,
                action=f"member.{'archive' if status == MemberStatus.ARCHIVED else 'reactivate'}",
                entity="member",
                entity_id=member.id,
                member_id=member.id,
                before={"status": before},
                after={"status": status.value},
            )
            view = member_view(member)
        return Outcome(view, Changes.of(members=[view.id]))

    # --- reads ----------------------------------------------------------------------------

    def get(self, member_id: MemberId) -> MemberView:
        """One member. Raises NotFound."""
        with self._db.read() as session:
            return member_view(load_member(session, member_id))

    def resolve(self, reference: str) -> MemberView:
        """Find one member by id ("42" or "#42"), email, or external id.

        Raises NotFound when nothing matches and AmbiguousReference when an email
        belongs to several members.
        """
        ref = reference.strip()
        if not ref:
            raise NotFound("Give a member id, email or external id.")
        with self._db.read() as session:
            if ref.lstrip("#").isdigit():
                member = session.get(Member, int(ref.lstrip("#")))
                if member is not None:
                    return member_view(member)
            if "@" in ref:
                found = session.scalars(
                    select(Member).where(func.lower(Member.email) == ref.lower()).limit(2)
                ).all()
                if len(found) > 1:
                    raise AmbiguousReference(
                        f"Several members have the email {ref}; use the member id instead."
                    )
                if found:
                    return member_view(found[0])
            member = session.scalar(select(Member).where(Member.external_id == ref))
            if member is not None:
                return member_view(member)
        raise NotFound(f"No member with id, email or external id {ref!r}.")

    def find_by_email(self, email: str) -> list[MemberView]:
        """Members with this email (case-insensitive), to warn about duplicates."""
        address = email.strip().lower()
        if not address:
            return []
        with self._db.read() as session:
            found = session.scalars(select(Member).where(func.lower(Member.email) == address))
            return [member_view(m) for m in found]

    def search(self, text: str, limit: int = 50) -> list[MemberMatch]:
        """Members whose name, email or phone contains ``text``, best first.

        Exact matches come before prefix matches, which come before other
        substrings; active members before archived ones. Phone queries compare
        digits only. An empty ``text`` returns no rows.
        """
        with self._db.read() as session:
            rows = search_members(session, text, limit, today(self._clock))
        return [
            MemberMatch(
                id=r.id,
                full_name=f"{r.first_name} {r.last_name}".strip(),
                email=r.email,
                phone=r.phone,
                status=MemberStatus(r.status),
                open_credits=int(r.open_credits),
            )
            for r in rows
        ]

    def summaries(self, member_ids: Iterable[int]) -> list[MemberMatch]:
        """Search-style rows for the given members, in the order given (unknown ids skipped)."""
        ids = list(dict.fromkeys(member_ids))
        if not ids:
            return []
        with self._db.read() as session:
            found = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids)))}
            return self._matches(session, [found[i] for i in ids if i in found])

    def count(self) -> int:
        with self._db.read() as session:
            return session.scalar(select(func.count(Member.id))) or 0

    def _matches(self, session: Session, members: Sequence[Member]) -> list[MemberMatch]:
        if not members:
            return []
        on = today(self._clock)
        open_by_member = dict(
            session.execute(
                select(CreditLot.member_id, func.sum(CreditLot.remaining))
                .where(
                    CreditLot.member_id.in_([m.id for m in members]),
                    can_pay_on(on),
                )
                .group_by(CreditLot.member_id)
            ).all()
        )
        return [
            MemberMatch(
                id=m.id,
                full_name=f"{m.first_name} {m.last_name}".strip(),
                email=m.email,
                phone=m.phone,
                status=MemberStatus(m.status),
                open_credits=int(open_by_member.get(m.id) or 0),
            )
            for m in members
        ]

    # --- helpers --------------------------------------------------------------------------

    @staticmethod
    def _clean(
        first_name: str,
        last_name: str,
        email: str | None,
        phone: str | None,
        notes: str,
        external_id: str | None,
    ) -> dict[str, Any]:
        first = clean_text(first_name, "first_name")
        last = clean_text(last_name, "last_name")
        if not first and not last:
            raise ValidationError("first_name", "A member needs a first or a last name.")
        phone_text = clean_phone(phone)
        return {
            "first_name": first,
            "last_name": last,
            "email": clean_email(email),
            "phone": phone_text,
            "phone_digits": phone_digits(phone_text) or None,
            "notes": clean_text(notes, "notes", max_length=MAX_TEXT),
            "external_id": clean_text(external_id, "external_id") or None,
        }

    @staticmethod
    def _check_external_id(
        session: Session, external_id: str | None, member_id: int | None
    ) -> None:
        if external_id is None:
            return
        other = session.scalar(select(Member.id).where(Member.external_id == external_id))
        if other is not None and other != member_id:
            raise ValidationError(
                "external_id", f"Member #{other} already has the external id {external_id!r}."
            )
