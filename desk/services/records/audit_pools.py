"""Audit sentences of shared pools (desk/services/credits/pools.py)."""

from __future__ import annotations

from desk.services.core.read_models import AuditView
from desk.services.records.audit_words import AuditNames, Wording, _b, _d, _member, _plural, _Text


def _pool(name: object) -> str:
    return f"the shared pool {name}"


def _create(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    members = d.get("members")
    count = len(members) if isinstance(members, list) else 0
    return f"Set up {_pool(d.get('name'))} for {_plural(count, 'member')}"


def _join(e: AuditView, n: AuditNames, w: Wording) -> str:
    return f"Put {_member(e, n)} in {_pool(_d(e).get('pool'))}"


def _leave(e: AuditView, n: AuditNames, w: Wording) -> str:
    kept = _d(e).get("bookings_kept")
    text = f"Took {_member(e, n)} out of {_pool(_b(e).get('pool'))}"
    return text + (f" ({_plural(kept, 'booking')} it paid stay booked)" if kept else "")


def _share(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    return (
        f"Moved {_plural(d.get('quantity'), 'credit')} of {_member(e, n)} into "
        f"{_pool(d.get('pool'))} (lot {d.get('from_lot_id')} to lot {d.get('to_lot_id')})"
    )


def _dissolve(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    return (
        f"Dissolved {_pool(d.get('name'))}: "
        f"{_plural(d.get('credits_returned'), 'open credit')} back to their buyers"
    )


POOL_TEXTS: dict[str, _Text] = {
    "pool.create": _create,
    "pool.join": _join,
    "pool.leave": _leave,
    "pool.share": _share,
    "pool.dissolve": _dissolve,
}
