"""The audit sentences of a member's holds (desk/services/people/holds.py)."""

from __future__ import annotations

from desk.services.core.read_models import AuditView
from desk.services.records.audit_words import AuditNames, Wording, _d, _day, _member, _plural, _Text


def _hold(verb: str) -> _Text:
    def text(e: AuditView, n: AuditNames, w: Wording) -> str:
        d = _d(e)
        return (
            f"{verb} {_member(e, n)} on hold from {_day(d.get('starts_on'), w)} to "
            f"{_day(d.get('last_day'), w)} ({d.get('reason')}): "
            f"{_plural(d.get('lots'), 'lot')} moved"
        )

    return text


HOLD_TEXTS: dict[str, _Text] = {
    "member.hold": _hold("Put"),
    "member.hold_end": _hold("Ended early: had"),
    "member.hold_cancel": _hold("Cancelled: had put"),
}
