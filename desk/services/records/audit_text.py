"""The audit log in plain words: one sentence per event, names instead of ids.

``describe(event, names, words)`` is the one place that turns an audit event into
"Booked Ann Smith for Personal Training with Kim Alvarez on Tue 8 Dec 10:00".
Every action the services record has a sentence here (tests check the list
against the services' ``action=`` names); an action without one still reads
as its name and its details. Moments and days are written by ``Wording``: the
window passes the desk's locale (``Wording`` made from its formatting
functions), the tests and the command line the plain default.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from desk.services.core.read_models import AuditView
from desk.services.records.audit_holds import HOLD_TEXTS
from desk.services.records.audit_pools import POOL_TEXTS
from desk.services.records.audit_words import (
    AuditNames,
    Wording,
    _b,
    _d,
    _day,
    _fields,
    _member,
    _money,
    _plural,
    _Text,
    _when,
)

__all__ = ["TEXTS", "AuditNames", "Wording", "describe", "reason"]


def _credits_add(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    text = (
        f"Added {d.get('quantity')} {n.type(d.get('appointment_type_id'))} credits for "
        f"{_member(e, n)}, {_money(d.get('price_cents'))}"
    )
    if d.get("expires_on"):
        text += f", expire {_day(d['expires_on'], w)}"
    if d.get("note"):
        text += f", note: {d['note']}"
    return text


def _credits_adjust(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    delta = d.get("delta")
    what = f"{n.type(d.get('appointment_type_id'))} credits of {_member(e, n)}"
    if isinstance(delta, int) and delta < 0:
        return f"Took {_plural(-delta, 'credit')} off the {what}"
    return f"Added {_plural(delta, 'credit')} to the {what}"


def _credits_expire(e: AuditView, n: AuditNames, w: Wording) -> str:
    left = _b(e).get("remaining")
    return f"Expired {_plural(left, 'unused credit')} of {_member(e, n)}"


def _credits_expiry(e: AuditView, n: AuditNames, w: Wording) -> str:
    old, new = _b(e).get("expires_on"), _d(e).get("expires_on")
    before = _day(old, w) if old else "never"
    return (
        f"Moved the expiry of lot {e.entity_id} of {_member(e, n)} from {before} to {_day(new, w)}"
    )


def _credits_transfer(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    lots = f"lot {d.get('from_lot_id')} to lot {d.get('to_lot_id')}"
    return f"Transferred {_plural(d.get('quantity'), 'credit')} from {lots} ({_member(e, n)})"


def _member_merge(e: AuditView, n: AuditNames, w: Wording) -> str:
    into = _d(e).get("merged_into_id")
    return f"Merged {n.member(e.entity_id)} into {n.member(into)}"


def _sales_package(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    text = f"Sold {d.get('package')} to {_member(e, n)} for {_money(d.get('price_cents'))}"
    if d.get("price_cents") != d.get("list_price_cents"):
        text += f" (list price {_money(d.get('list_price_cents'))})"
    return text + f", paid {_money(d.get('paid_cents'))}"


def _sales_void(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    return (
        f"Voided a sale to {_member(e, n)}: {_plural(d.get('credits_removed'), 'credit')} "
        f"removed, {_money(d.get('refunded_cents'))} refunded"
    )


def _sales_plan(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    text = f"Put {_member(e, n)} on the {d.get('plan')} plan from {_day(d.get('starts_on'), w)}"
    return text + (f" to {_day(d['ends_on'], w)}" if d.get("ends_on") else "")


def _billing(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    return (
        f"Ran billing through {_day(d.get('through'), w)}: {_plural(d.get('periods'), 'period')}, "
        f"{_money(d.get('charged_cents'))} charged"
    )


def _account(verb: str, preposition: str) -> _Text:
    def text(e: AuditView, n: AuditNames, w: Wording) -> str:
        d = _d(e)
        line = f"{verb} {_money(d.get('amount_cents'))} {preposition} {_member(e, n)}"
        return line + (f", note: {d['note']}" if d.get("note") else "")

    return text


# --- appointments ---------------------------------------------------------------------


def _session(d: Mapping[str, Any], n: AuditNames, w: Wording) -> str:
    return (
        f"{n.type(d.get('appointment_type_id'))} with {n.person(d.get('staff_id'))} "
        f"on {_when(d.get('starts_at'), w)}"
    )


def _book(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    unpaid = " unpaid (owing a credit)" if d.get("unpaid") else ""
    text = f"Booked {_member(e, n)}{unpaid} for {_session(d, n, w)}"
    if d.get("picked_lot_id"):  # staff picked the lot (lot_pick.pick_note)
        text += f", paid by lot {d['picked_lot_id']} (picked; lot {d.get('usual_lot_id')} was next)"
    return text


def _first_use(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    return (
        f"Lot {e.entity_id} of {_member(e, n)} was first used on {_day(d.get('first_use_on'), w)}: "
        f"valid {d.get('first_use_days')} days from then, it expires {_day(d.get('expires_on'), w)}"
    )


def _cancel(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    late = "Late-cancelled" if d.get("late") else "Cancelled"
    text = f"{late} {_member(e, n)}'s {_session(d, n, w)}"
    return text + (", credit returned" if d.get("credit_returned") else ", credit kept")


def _reschedule(e: AuditView, n: AuditNames, w: Wording) -> str:
    before, after = _b(e), _d(e)
    return (
        f"Moved {_member(e, n)}'s {_session(before, n, w)} to "
        f"{_when(after.get('starts_at'), w)} with {n.person(after.get('staff_id'))}"
    )


def _moved_with_others(verb: str) -> _Text:
    def text(e: AuditView, n: AuditNames, w: Wording) -> str:
        others = len(_d(e).get("also_moved") or [])
        and_others = f" and {_plural(others, 'following session')}" if others else ""
        return f"{verb}{_reschedule(e, n, w)[len('Moved') :]}{and_others}"

    return text


def _status(verb: str) -> _Text:
    return lambda e, n, w: f"{verb} {_member(e, n)} for {_session(_d(e), n, w)}"


# --- people, catalog, imports, the desk -----------------------------------------------


def _member_create(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    return f"Added member {d.get('first_name', '')} {d.get('last_name', '')}".rstrip()


def _staff_text(e: AuditView, key: str = "name") -> str:
    return str(_d(e).get(key) or _b(e).get(key) or f"staff member #{e.entity_id}")


def _pay_rule(e: AuditView, n: AuditNames, w: Wording) -> str:
    rule = _d(e).get("rule")
    kind = n.type(_d(e).get("appointment_type_id"))
    if not isinstance(rule, dict):
        return f"Removed the pay rule of {_staff_named(e, n)} for {kind}"
    if isinstance(rule.get("rate_cents"), int):
        pay = f"{_money(rule['rate_cents'])} per attended session"
    else:
        pay = f"{rule.get('percent')}% of the paying credit's value"
    return f"Set the pay of {_staff_named(e, n)} for {kind}: {pay}"


def _staff_named(e: AuditView, n: AuditNames) -> str:
    return n.staff.get(e.entity_id, _staff_text(e)) if e.entity_id is not None else "?"


def _sign_in_failed(e: AuditView, n: AuditNames, w: Wording) -> str:
    return f"Failed sign-in as {_d(e).get('username')!r}"


def _type_text(e: AuditView, n: AuditNames, w: Wording) -> str:
    d = _d(e)
    return (
        f"Added appointment type {d.get('name')} ({d.get('duration_minutes')} min, "
        f"{_money(d.get('default_price_cents'))})"
    )


def _import(what: str) -> _Text:
    def text(e: AuditView, n: AuditNames, w: Wording) -> str:
        d = _d(e)
        count = d.get("rows", d.get("members"))
        return f"{what} {d.get('file')} (batch {d.get('batch')}, {_plural(count, 'row')})"

    return text


_UNDONE = {"attended": "check-in", "no_show": "no-show", "late_cancelled": "late cancel"}

TEXTS: dict[str, _Text] = {
    "credits.add": _credits_add,
    "credits.adjust": _credits_adjust,
    "credits.expire": _credits_expire,
    "credits.expiry": _credits_expiry,
    "credits.transfer": _credits_transfer,
    "credits.undo": lambda e, n, w: f"Undid: {_d(e).get('what')} ({_member(e, n)})",
    "member.merge": _member_merge,
    **HOLD_TEXTS,
    "sales.package": _sales_package,
    "sales.void": _sales_void,
    "sales.assign_plan": _sales_plan,
    "billing.run": _billing,
    "account.charge": _account("Charged", "to"),
    "account.credit": _account("Gave account credit of", "to"),
    "account.payment": _account("Took a payment of", "from"),
    "account.fee": lambda e, n, w: (
        f"Charged {_member(e, n)} a {_d(e).get('fee')} of {_money(_d(e).get('amount_cents'))} "
        f"({_d(e).get('appointment_type')}, appointment #{_d(e).get('appointment_id')})"
    ),
    "account.waive_fee": lambda e, n, w: (
        f"Waived the {_d(e).get('fee')} of {_money(_d(e).get('amount_cents'))} of "
        f"{_member(e, n)} (appointment #{_d(e).get('appointment_id')})"
    ),
    "appointment.book": _book,
    "credits.first_use": _first_use,
    "appointment.cancel": _cancel,
    "appointment.settle": lambda e, n, w: (
        f"Paid {_member(e, n)}'s unpaid booking for {_session(_d(e), n, w)} with new credits"
    ),
    "appointment.reschedule": _reschedule,
    "appointment.reschedule_series": _moved_with_others("Moved"),
    "appointment.undo_move": _moved_with_others("Undid a move: moved"),
    "appointment.attended": _status("Checked in"),
    "appointment.no_show": _status("Marked a no-show:"),
    "appointment.booked": _status("Reopened the booking of"),
    "appointment.undo_status": lambda e, n, w: (
        f"Undid the {_UNDONE.get(str(_d(e).get('undone')), 'status')} of "
        f"{_member(e, n)} for {_session(_d(e), n, w)}"
    ),
    "appointment.forgive": lambda e, n, w: (
        f"Forgave the {_UNDONE.get(str(_d(e).get('forgiven')), 'status')} of "
        f"{_member(e, n)} for {_session(_d(e), n, w)}: credit returned"
    ),
    "sales.end_plan": lambda e, n, w: (
        f"Ended {_member(e, n)}'s {_d(e).get('plan')} plan on {_day(_d(e).get('ends_on'), w)}: "
        f"credits {_d(e).get('credits')} ({_money(_d(e).get('refund_cents'))} refunded), "
        f"{_plural(_d(e).get('bookings_cancelled'), 'booking')} cancelled"
    ),
    "waitlist.join": lambda e, n, w: (
        f"Put {_member(e, n)} on the waitlist of {_session(_d(e), n, w)}"
    ),
    "waitlist.leave": lambda e, n, w: (
        f"Took {_member(e, n)} off the waitlist of {_session(_b(e), n, w)}"
    ),
    "waitlist.promote": lambda e, n, w: (
        f"Promoted {_member(e, n)} from the waitlist into {_session(_d(e), n, w)}"
    ),
    "settings.update": lambda e, n, w: f"Changed gym settings: {_fields(e)}",
    "appointment_type.create": _type_text,
    "appointment_type.rules": lambda e, n, w: (
        f"Changed the booking rules of {n.type(e.entity_id)}: {_fields(e)}"
    ),
    "appointment_type.fees": lambda e, n, w: (
        f"Changed the fees of {n.type(e.entity_id)}: {_fields(e)}"
    ),
    "appointment_type.update": lambda e, n, w: (
        f"Changed appointment type {n.type(e.entity_id)}: {_fields(e)}"
    ),
    "member.create": _member_create,
    "member.update": lambda e, n, w: f"Changed {_member(e, n)}: {_fields(e)}",
    "member.archive": lambda e, n, w: f"Archived {_member(e, n)}",
    "member.reactivate": lambda e, n, w: f"Reactivated {_member(e, n)}",
    "staff.create": lambda e, n, w: (
        f"Added staff member {_staff_text(e)} ({str(_d(e).get('role', '')).replace('_', ' ')})"
    ),
    "staff.create_owner": lambda e, n, w: f"Created the owner account for {_staff_text(e)}",
    "staff.update": lambda e, n, w: f"Changed staff member {_staff_named(e, n)}: {_fields(e)}",
    "staff.set_login": lambda e, n, w: (
        f"Set the sign-in of {_staff_named(e, n)}: username {_d(e).get('username')}"
    ),
    "staff.pay_rule": _pay_rule,
    "staff.hours": lambda e, n, w: f"Set the weekly hours of {_staff_named(e, n)}",
    "staff.exception_add": lambda e, n, w: (
        f"Added {'time off' if _d(e).get('kind') == 'off' else 'an extra shift'} "
        f"for {_staff_named(e, n)}"
    ),
    "staff.exception_remove": lambda e, n, w: f"Removed an exception of {_staff_named(e, n)}",
    "staff.delivers": lambda e, n, w: f"Set the types {_staff_named(e, n)} delivers",
    "staff.sign_in": lambda e, n, w: f"{_staff_named(e, n)} signed in",
    "staff.sign_in_failed": _sign_in_failed,
    "desk.lock": lambda e, n, w: f"Locked the desk ({_d(e).get('how', 'locked')})",
    "desk.unlock": lambda e, n, w: "Unlocked the desk",
    "catalog.package": lambda e, n, w: (
        f"Saved package {_d(e).get('name')}: {_plural(_d(e).get('credits'), 'credit')} for "
        f"{_money(_d(e).get('price_cents'))}"
    ),
    "catalog.plan": lambda e, n, w: (
        f"Saved plan {_d(e).get('name')}: {_money(_d(e).get('price_cents'))} a "
        f"{_d(e).get('period')}"
    ),
    "import.credits": _import("Imported credits from"),
    "import.members": _import("Imported members from"),
    "import.appointments": _import("Imported booked appointments from"),
    "import.undo_credits": _import("Undid the credits import of"),
    "import.undo_members": _import("Undid the members import of"),
    "demo.generate": lambda e, n, w: (
        f"Filled the database with {_d(e).get('members')} demo members"
    ),
    **POOL_TEXTS,
}


def describe(event: AuditView, names: AuditNames, words: Wording | tzinfo) -> str:
    """What happened, in plain words (names from ``names``; a bare time zone
    means ``Wording.plain`` in it)."""
    w = words if isinstance(words, Wording) else Wording.plain(words)
    text = TEXTS.get(event.action)
    if text is None:
        return f"{event.action}: {_fields(event)}"
    try:
        return text(event, names, w)
    except (TypeError, ValueError, AttributeError):  # details of an older shape
        return f"{event.action}: {_fields(event)}"


def reason(event: AuditView) -> str:
    """The reason given for the change (cancel, adjust, void), or ""."""
    for details in (event.after, event.before):
        if details and details.get("reason"):
            return str(details["reason"])
    return ""
