"""The words the audit sentences are made of: names for ids, moments and days in the
desk's wording, amounts and plurals (audit_text.py writes the sentences)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from desk.services.core.money import format_money
from desk.services.core.read_models import AuditView


@dataclass(frozen=True)
class AuditNames:
    """Who and what the events' ids stand for (see AuditService.names)."""

    members: Mapping[int, str] = field(default_factory=dict)
    types: Mapping[int, str] = field(default_factory=dict)
    staff: Mapping[int, str] = field(default_factory=dict)

    def member(self, member_id: object) -> str:
        return _named(self.members, member_id, "member")

    def type(self, type_id: object) -> str:
        return _named(self.types, type_id, "appointment type")

    def person(self, staff_id: object) -> str:
        return _named(self.staff, staff_id, "staff member")


def _named(names: Mapping[int, str], key: object, what: str) -> str:
    if isinstance(key, int) and key in names:
        return names[key]
    return f"{what} #{key}" if key is not None else f"no {what}"


_Text = Callable[[AuditView, AuditNames, "Wording"], str]


def _d(event: AuditView) -> dict[str, Any]:
    return dict(event.after or {})


def _b(event: AuditView) -> dict[str, Any]:
    return dict(event.before or {})


def _money(value: object) -> str:
    return format_money(value) if isinstance(value, int) else "?"


@dataclass(frozen=True)
class Wording:
    """How the sentences write a moment (in ``tz``) and a day."""

    tz: tzinfo
    moment: Callable[[datetime], str]
    """A local wall-clock moment: "Tue 8 Dec 10:00"."""
    day: Callable[[date], str]
    """A day: "8 Dec 2026"."""

    @classmethod
    def plain(cls, tz: tzinfo) -> Wording:
        """Day-month order and a 24-hour clock, whatever the locale (tests, logs)."""
        return cls(
            tz,
            moment=lambda local: f"{local:%a} {local.day} {local:%b %H:%M}",
            day=lambda day: f"{day.day} {day:%b %Y}",
        )


def _when(value: object, w: Wording) -> str:
    """An ISO moment from the details as the desk reads it, in the gym's zone."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return w.moment(moment.astimezone(w.tz))


def _day(value: object, w: Wording) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return w.day(day)


def _plural(count: object, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _member(event: AuditView, names: AuditNames) -> str:
    return names.member(event.member_id if event.member_id is not None else event.entity_id)


def _fields(event: AuditView) -> str:
    before, after = _b(event), _d(event)
    parts = [f"{key.replace('_', ' ')} {before.get(key)!r} → {after[key]!r}" for key in after]
    return "; ".join(parts) if parts else "nothing"


# --- credits, sales, account ----------------------------------------------------------
