"""The audit trail: every change writes who, when, what, before and after."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import AppointmentType, AuditEvent, Member, StaffMember
from desk.services.core.actor import Actor
from desk.services.core.read_models import AuditView
from desk.services.records.audit_changes import note_audited_change
from desk.services.records.audit_text import AuditNames


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def record(
    session: Session,
    *,
    at: datetime,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    member_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the caller's transaction (it commits or rolls back with it),
    and note for the other desks what it changed (see audit_changes)."""
    note_audited_change(session, action, entity, entity_id, member_id)
    session.add(
        AuditEvent(
            at=at,
            actor_id=actor.staff_id,
            actor_label=actor.label or None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            member_id=member_id,
            before=_plain(before) if before is not None else None,
            after=_plain(after) if after is not None else None,
        )
    )


def record_many(
    session: Session,
    *,
    at: datetime,
    actor: Actor,
    action: str,
    entity: str,
    rows: list[tuple[int, int | None, dict[str, Any], dict[str, Any]]],
) -> None:
    """``record`` for many rows of one kind of change at once, by one executemany:
    each row is (entity id, member id, before, after)."""
    for entity_id, member_id, _before, _after in rows:
        note_audited_change(session, action, entity, entity_id, member_id)
    if not rows:
        return
    session.execute(
        insert(AuditEvent),
        [
            {"at": at, "actor_id": actor.staff_id, "actor_label": actor.label or None,
             "action": action, "entity": entity, "entity_id": entity_id,
             "member_id": member_id, "before": _plain(before), "after": _plain(after)}
            for entity_id, member_id, before, after in rows
        ],
    )  # fmt: skip


def record_update(
    session: Session,
    *,
    at: datetime,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    member_id: int | None = None,
) -> bool:
    """Record an update as the fields it changed, old and new values side by side;
    nothing when no field changed. Returns whether anything changed."""
    changed = [key for key in after if after[key] != before.get(key)]
    if not changed:
        return False
    record(
        session,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        member_id=member_id,
        before={key: before.get(key) for key in changed},
        after={key: after[key] for key in changed},
    )
    return True


class AuditService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def events(
        self,
        *,
        member_id: int | None = None,
        action: str | None = None,
        actor_id: int | None = None,
        action_prefix: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[AuditView]:
        """Audit events newest first, filtered by member, action (exact or by
        prefix such as "credits."), who did it, and a time range [since, until)."""
        query = (
            select(AuditEvent, func.coalesce(StaffMember.name, AuditEvent.actor_label))
            .outerjoin(StaffMember, StaffMember.id == AuditEvent.actor_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
        if member_id is not None:
            query = query.where(AuditEvent.member_id == member_id)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        if action_prefix:
            query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
        if actor_id is not None:
            query = query.where(AuditEvent.actor_id == actor_id)
        if since is not None:
            query = query.where(AuditEvent.at >= since)
        if until is not None:
            query = query.where(AuditEvent.at < until)
        with self._db.read() as session:
            return [
                AuditView(
                    id=event.id,
                    at=event.at,
                    actor=actor,
                    action=event.action,
                    entity=event.entity,
                    entity_id=event.entity_id,
                    member_id=event.member_id,
                    before=event.before,
                    after=event.after,
                )
                for event, actor in session.execute(query).all()
            ]

    def names(self, events: list[AuditView]) -> AuditNames:
        """The names of the members, appointment types and staff ``events`` mention
        (by member, entity or in their details), for audit_text.describe."""
        members: set[int] = set()
        types: set[int] = set()
        staff: set[int] = set()
        wanted = {"member": members, "appointment_type": types, "staff": staff}
        for event in events:
            if event.member_id is not None:
                members.add(event.member_id)
            if event.entity in wanted and event.entity_id is not None:
                wanted[event.entity].add(event.entity_id)
            for details in (event.before, event.after):
                for key, ids in (("member_id", members), ("appointment_type_id", types),
                                 ("staff_id", staff)):  # fmt: skip
                    value = (details or {}).get(key)
                    if isinstance(value, int):
                        ids.add(value)
        with self._db.read() as session:

            def lookup(column: Any, label: Any, ids: set[int]) -> dict[int, str]:
                found: dict[int, str] = {}
                chunk = sorted(ids)
                for start in range(0, len(chunk), 500):
                    query = select(column, label).where(column.in_(chunk[start : start + 500]))
                    found.update({int(k): str(v).strip() for k, v in session.execute(query).all()})
                return found

            full_name = Member.first_name + " " + Member.last_name
            return AuditNames(
                members=lookup(Member.id, full_name, members),
                types=lookup(AppointmentType.id, AppointmentType.name, types),
                staff=lookup(StaffMember.id, StaffMember.name, staff),
            )

    def export_csv(self, path: Path, events: list[AuditView]) -> int:
        """Write ``events`` to a UTF-8 CSV file (written whole or not at all).

        Raises ValidationError when the file can't be written.
        """
        from desk.services.records.exports import write_csv

        rows = export_rows(events)
        return write_csv(path, rows[0], rows[1:])


def export_rows(events: list[AuditView]) -> list[list[str]]:
    rows = [["When (UTC)", "Who", "What", "Entity", "Entity id", "Member id", "Before", "After"]]
    for e in events:
        rows.append([
            e.at.isoformat(), e.actor or "System", e.action, e.entity,
            "" if e.entity_id is None else str(e.entity_id),
            "" if e.member_id is None else str(e.member_id),
            json.dumps(e.before, ensure_ascii=False, default=str) if e.before else "",
            json.dumps(e.after, ensure_ascii=False, default=str) if e.after else "",
        ])  # fmt: skip
    return rows
