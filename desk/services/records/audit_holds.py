"""The audit sentences of a member's holds (desk/services/people/holds.py)."""

from __future__ import annotations

from desk.services.core.read_models import AuditView
from desk.services.records.audit_words import AuditNames, Wording, _d, _day, _member, _plural, _Text


def _hold(head: str, tail: str) -> _Text:
    def text(e: AuditView, n: AuditNames, w: Wording) -> str:
        d = _d(e)
        return (
            f"{head.format(member=_member(e, n))} from {_day(d.get('starts_on'), w)} to "
            f"{_day(d.get('last_day'), w)} ({d.get('reason')}): "
            f"{_plural(d.get('lots'), 'lot')} {tail}"
        )

    return text


HOLD_TEXTS: dict[str, _Text] = {
    "member.hold": _hold("Put {member} on hold", "moved later"),
    "member.hold_end": _hold("Ended {member}'s hold early: now on hold", "moved back"),
    "member.hold_cancel": _hold("Cancelled {member}'s hold", "moved back"),
}
