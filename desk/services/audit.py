"""The audit trail: every change writes who, when, what, before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import AuditEvent, StaffMember
from desk.services.read_models import AuditView


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record(
    session: Session,
    *,
    at: datetime,
    actor: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    member_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the caller's transaction (it commits or rolls back with it)."""
    session.add(
        AuditEvent(
            at=at,
            actor_id=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            member_id=member_id,
            before=_plain(before) if before is not None else None,
            after=_plain(after) if after is not None else None,
        )
    )


class AuditService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def events(
        self, *, member_id: int | None = None, action: str | None = None, limit: int = 500
    ) -> list[AuditView]:
        """Audit events newest first, optionally for one member or one action."""
        query = (
            select(AuditEvent, StaffMember.name)
            .outerjoin(StaffMember, StaffMember.id == AuditEvent.actor_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
        if member_id is not None:
            query = query.where(AuditEvent.member_id == member_id)
        if action is not None:
            query = query.where(AuditEvent.action == action)
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
