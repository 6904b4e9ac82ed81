"""The audit log in plain words: names, local times, one sentence per action."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AuditView
from desk.services.records.audit_text import TEXTS, AuditNames, describe, reason
from tests.actors import SYSTEM
from tests.services.factories import GYM_TZ

SERVICES = Path(__file__).resolve().parents[3] / "desk" / "services"
# Actions whose names the services build with an f-string, spelled out.
DYNAMIC = {
    "appointment.attended", "appointment.no_show", "member.archive", "member.reactivate",
    "account.credit", "account.payment", "import.undo_credits", "import.undo_members",
}  # fmt: skip


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        found.update(
            re.findall(
                r'(?:action=|_record_desk\()"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")
            )
        )
    return found


def test_every_action_the_services_record_has_a_sentence():
    actions = recorded_actions()
    assert {"credits.add", "staff.sign_in_failed", "desk.lock"} <= actions
    assert actions | DYNAMIC <= set(TEXTS)


def test_the_real_events_read_as_sentences(services):
    pt = services.appointment_types.create(name="Personal Training", duration_minutes=60,
                                           actor=SYSTEM).value  # fmt: skip
    kim = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    ann = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    services.credits.add_credits(
        member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(pt.id), quantity=5,
        expires_on=None, note="moved from old system", actor=SYSTEM,
    )  # fmt: skip
    appt = services.booking.book(
        member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(kim.id), starts_at=datetime(2026, 12, 8, 15, 0, tzinfo=UTC),
        actor=SYSTEM,
    ).value  # fmt: skip
    services.booking.cancel(appt.id, return_credit=True, reason="flu", actor=SYSTEM)
    services.credits.adjust(
        member_id=MemberId(ann.id), appointment_type_id=AppointmentTypeId(pt.id), delta=-2,
        reason="typo", actor=SYSTEM,
    )  # fmt: skip
    events = services.audit.events()
    names = services.audit.names(events)
    text = {e.action: describe(e, names, GYM_TZ) for e in events}
    assert text["credits.add"] == (
        "Added 5 Personal Training credits for Ann Smith, $0.00, note: moved from old system"
    )
    # 15:00 UTC is 10:00 in New York.
    assert text["appointment.book"] == (
        "Booked Ann Smith for Personal Training with Kim Alvarez on Tue 8 Dec 10:00"
    )
    assert text["appointment.cancel"] == (
        "Cancelled Ann Smith's Personal Training with Kim Alvarez on Tue 8 Dec 10:00, "
        "credit returned"
    )
    assert text["credits.adjust"] == "Took 2 credits off the Personal Training credits of Ann Smith"
    assert text["member.create"] == "Added member Ann Smith"
    assert text["staff.create"] == "Added staff member Kim Alvarez (coach)"
    assert text["appointment_type.create"].startswith("Added appointment type Personal Training")
    by_action = {e.action: e for e in events}
    assert reason(by_action["appointment.cancel"]) == "flu"
    assert reason(by_action["credits.adjust"]) == "typo"
    assert reason(by_action["credits.add"]) == ""


def event(action: str, after=None, before=None, member_id=None, entity_id=None) -> AuditView:
    return AuditView(1, datetime(2026, 3, 4, 15, tzinfo=UTC), "Dana", action, "x",
                     entity_id, member_id, before, after)  # fmt: skip


NAMES = AuditNames(members={7: "Ann Smith"}, types={3: "Personal Training"}, staff={2: "Kim"})


def test_sentences_for_the_other_kinds():
    cases = [
        (event("sales.void", {"credits_removed": 4, "refunded_cents": 5000, "reason": "moved"},
               member_id=7), "Voided a sale to Ann Smith: 4 credits removed, $50.00 refunded"),
        (event("sales.package", {"package": "10-pack", "price_cents": 70000,
                                 "list_price_cents": 80000, "paid_cents": 0}, member_id=7),
         "Sold 10-pack to Ann Smith for $700.00 (list price $800.00), paid $0.00"),
        (event("account.payment", {"amount_cents": 1200, "note": ""}, member_id=7),
         "Took a payment of $12.00 from Ann Smith"),
        (event("credits.expire", {"remaining": 0}, {"remaining": 3}, member_id=7),
         "Expired 3 unused credits of Ann Smith"),
        (event("member.update", {"notes": "mornings"}, {"notes": ""}, member_id=7),
         "Changed Ann Smith: notes '' → 'mornings'"),
        (event("staff.sign_in_failed", {"username": "bob"}), "Failed sign-in as 'bob'"),
        (event("staff.sign_in", {"username": "kim"}, entity_id=2), "Kim signed in"),
        (event("staff.set_login", {"username": "kim"}, entity_id=2),
         "Set the sign-in of Kim: username kim"),
        (event("desk.lock", {"how": "Ctrl+L"}), "Locked the desk (Ctrl+L)"),
        (event("desk.unlock"), "Unlocked the desk"),
        (event("appointment.attended", {"appointment_type_id": 3, "staff_id": 2,
                                        "starts_at": "2026-03-04T15:00:00+00:00"}, member_id=7),
         "Checked in Ann Smith for Personal Training with Kim on Wed 4 Mar 10:00"),
        (event("billing.run", {"through": date(2026, 3, 31).isoformat(), "periods": 1,
                               "charged_cents": 9900}),
         "Ran billing through 31 Mar 2026: 1 period, $99.00 charged"),
        (event("import.credits", {"file": "old.csv", "batch": "b1", "rows": 12}),
         "Imported credits from old.csv (batch b1, 12 rows)"),
        (event("member.archive", member_id=8), "Archived member #8"),
    ]  # fmt: skip
    for audit_event, expected in cases:
        assert describe(audit_event, NAMES, GYM_TZ) == expected


def test_an_unknown_action_or_odd_details_still_read():
    assert describe(event("future.thing", {"a": 1}), NAMES, GYM_TZ) == "future.thing: a None → 1"
    odd = event("credits.adjust", {"delta": "x"}, member_id=7)
    assert "Ann Smith" in describe(odd, NAMES, GYM_TZ)
