"""Eight desks set one coach's pay rule for one type at the same moment.

The last writer wins; no change may be lost from the record: each change's
audited "before" is what the change before it left, there is one row, and it
holds the last audited rule. Every other round starts with no rule, so the first
insert is raced too (the loser clashes on the unique key and is retried).
"""

from __future__ import annotations

from sqlalchemy import delete, select

from desk.models import AuditEvent, StaffPayRule
from desk.services.core.ids import AppointmentTypeId, StaffId
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = 50


def act(services, index, task):
    _what, coach, kind, cents, owner = task
    services.staff.set_pay_rule(
        StaffId(coach), appointment_type_id=AppointmentTypeId(kind), rate_cents=cents,
        **acting(owner),
    )  # fmt: skip
    return cents


def _rule(event_side):
    return None if event_side["rule"] is None else event_side["rule"]["rate_cents"]


def test_eight_desks_setting_one_pay_rule_lose_no_change(services, database, backend):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    coach = services.staff.create(name="Kim", role="coach", **acting(None)).value.id
    kind = services.appointment_types.create(
        name="PT", duration_minutes=60, **acting(None)
    ).value.id
    tally = race.Tally("one pay rule", backend, describe=lambda worst: f"{worst or 0} lost")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            with database.write() as session:
                if n % 2 == 0:
                    session.execute(delete(StaffPayRule))
                last_event = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
            rules = services.staff.pay_rules(StaffId(coach))
            start = rules[0].rate_cents if rules else None
            tasks = [("set", coach, kind, 100 * n + i + 1, owner) for i in range(race.PROCESSES)]
            results = running.race(tasks)
            problems = []
            if any(r.status != "ok" for r in results):
                problems.append(f"{sum(r.status != 'ok' for r in results)} changes failed")
            with database.read() as session:
                rows = session.scalars(select(StaffPayRule)).all()
                events = session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.action == "staff.pay_rule",
                           AuditEvent.id > (last_event or 0))
                    .order_by(AuditEvent.id)
                ).all()  # fmt: skip
            if len(rows) != 1:
                problems.append(f"{len(rows)} rule rows")
            if len(events) != race.PROCESSES:
                problems.append(f"{len(events)} audit events, expected {race.PROCESSES}")
            expected_before, lost = start, 0
            for event in events:
                assert event.before is not None
                assert event.after is not None
                if _rule(event.before) != expected_before:
                    lost += 1
                expected_before = _rule(event.after)
            if lost:
                problems.append(f"{lost} changes audited a 'before' another desk had replaced")
            if rows and events and rows[0].rate_cents != _rule(events[-1].after):
                problems.append(f"row holds {rows[0].rate_cents}, last change {events[-1].after}")
            tally.record(results, problems, measure=lost)
    tally.report()
