"""Merging two member records that are one person (duplicates after a migration).

Everything the duplicate has moves to the survivor in one transaction: credit
lots (through the ledger; their entries stay as written), appointments,
waitlist places, plans, account entries, audit events and the import key
(``external_id``, when the survivor has none). The duplicate stays, archived,
with ``merged_into_id`` naming the survivor, so a search for its old email or
phone finds the survivor (member_search) and old receipts still resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    AccountEntry,
    Appointment,
    AuditEvent,
    CreditLot,
    Member,
    MemberStatus,
    Subscription,
    WaitlistEntry,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.credits import ledger
from desk.services.credits.pools import move_membership
from desk.services.people.members import load_member, lock_member
from desk.services.records import audit

# What moves, besides the lots (the ledger moves those): model and its member column.
_MOVED: tuple[tuple[str, Any], ...] = (
    ("appointments", Appointment),
    ("waitlist_entries", WaitlistEntry),
    ("subscriptions", Subscription),
    ("account_entries", AccountEntry),
    ("audit_events", AuditEvent),
)


@dataclass(frozen=True)
class MergePreview:
    """What a merge moves from the duplicate to the survivor (counts of rows)."""

    from_member_id: int
    into_member_id: int
    from_name: str
    into_name: str
    credit_lots: int
    open_credits: int
    appointments: int
    waitlist_entries: int
    subscriptions: int
    account_entries: int
    audit_events: int
    external_id: str | None
    """The duplicate's import key, if it moves to the survivor."""


def _name(member: Member) -> str:
    return f"{member.first_name} {member.last_name}".strip()


def _check(duplicate: Member, survivor: Member) -> None:
    """The one rule of a merge; raises ValidationError or InvalidState."""
    if duplicate.id == survivor.id:
        raise ValidationError("member", "A member can't be merged into themselves.")
    for member in (duplicate, survivor):
        if member.merged_into_id is not None:
            raise InvalidState(f"{_name(member)} (#{member.id}) was already merged away.")
    if survivor.status != MemberStatus.ACTIVE.value:
        raise InvalidState(f"{_name(survivor)} is archived; reactivate them to merge into them.")


def _preview(session: Session, duplicate: Member, survivor: Member) -> MergePreview:
    counts = {
        name: int(session.scalar(
            select(func.count()).select_from(model).where(model.member_id == duplicate.id)) or 0)
        for name, model in _MOVED
    }  # fmt: skip
    lots, open_credits = session.execute(
        select(func.count(CreditLot.id), func.coalesce(func.sum(CreditLot.remaining), 0)).where(
            CreditLot.member_id == duplicate.id
        )
    ).one()
    moving_key = duplicate.external_id if survivor.external_id is None else None
    return MergePreview(duplicate.id, survivor.id, _name(duplicate), _name(survivor), int(lots),
                        int(open_credits), external_id=moving_key, **counts)  # fmt: skip


class MergeService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def preview_merge(self, from_member_id: MemberId, into_member_id: MemberId) -> MergePreview:
        """What merging one member into another would move (nothing written).

        Raises NotFound for an unknown member, ValidationError for a member merged
        into themselves, InvalidState for a record already merged away or an
        archived survivor.
        """
        with self._db.read() as session:
            duplicate = load_member(session, from_member_id)
            survivor = load_member(session, into_member_id)
            _check(duplicate, survivor)
            return _preview(session, duplicate, survivor)

    @retry_transient
    def merge(
        self, from_member_id: MemberId, *, into_member_id: MemberId, reason: str, actor: Actor
    ) -> Outcome[MergePreview]:
        """Move everything of ``from_member_id`` to ``into_member_id`` and archive the
        former, pointing at the survivor; one transaction, audited on both records.

        Both rows are locked (lower id first) before anything is read; the lots move
        first, so a booking of the duplicate racing the merge either took its credit
        before (and its appointment moves too) or finds the lot gone to the survivor
        (the take is conditional on the owner, ``ledger.take_one``) and reads again.
        Raises as ``preview_merge`` does, and ValidationError for a missing reason.
        """
        clean_reason = clean_text(reason, "reason", max_length=MAX_TEXT)
        if not clean_reason:
            raise ValidationError("reason", "Say why these records are merged (a reason).")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.MERGE_MEMBERS) as session:
            locked = {i: lock_member(session, i) for i in sorted({from_member_id, into_member_id})}
            duplicate, survivor = locked[from_member_id], locked[into_member_id]
            _check(duplicate, survivor)
            moved = _preview(session, duplicate, survivor)
            ledger.move_lots(session, duplicate.id, survivor.id)
            move_membership(session, duplicate.id, survivor.id, now)  # shared pools
            for _name_of, model in _MOVED:
                session.execute(
                    update(model).where(model.member_id == duplicate.id)
                    .values(member_id=survivor.id).execution_options(synchronize_session=False)
                )  # fmt: skip
            if moved.external_id is not None:
                duplicate.external_id = None
                session.flush()  # the key is UNIQUE: free it before the survivor takes it
                survivor.external_id = moved.external_id
            duplicate.status = MemberStatus.ARCHIVED.value
            duplicate.merged_into_id = survivor.id
            duplicate.updated_at = survivor.updated_at = now
            after = {"merged_into_id": survivor.id, "reason": clean_reason,
                     **{k: v for k, v in moved.__dict__.items() if isinstance(v, int)}}  # fmt: skip
            for member_id in (survivor.id, duplicate.id):
                audit.record(session, at=now, actor=actor, action="member.merge", entity="member",
                             entity_id=duplicate.id, member_id=member_id, after=after)  # fmt: skip
        everyone = [duplicate.id, survivor.id]
        return Outcome(moved, Changes.of(members=everyone, credits=everyone, bookings=everyone))
