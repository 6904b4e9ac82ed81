"""Eight desks switch one coach's "takes bookings" on and off at the same moment.

The last writer wins; what must hold is that no change is lost from the record:
every audited change's "before" is what the change before it left (a desk that
read the flag while another was replacing it would audit a stale "before", or
audit a change that changed nothing), and the row holds the last audited value.
The staff row is locked before it is read.
"""

from __future__ import annotations

from sqlalchemy import select

from desk.models import AuditEvent, StaffMember
from desk.services.core.ids import StaffId
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = 50


def act(services, index, task):
    staff, value, owner = task
    return services.staff.set_takes_bookings(StaffId(staff), value, **acting(owner)).value.id


def test_eight_desks_switching_one_flag_lose_no_change(services, database, backend):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    coach = services.staff.create(name="Kim Alvarez", role="coach", **acting(None)).value.id
    tally = race.Tally("takes bookings", backend, describe=lambda worst: f"{worst or 0} lost")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            with database.read() as session:
                last_event = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
                start = session.get(StaffMember, coach).takes_bookings  # type: ignore[union-attr]
            # Half the desks switch it on, half off, in an order that changes each round.
            values = [(i + n) % 2 == 0 for i in range(race.PROCESSES)]
            results = running.race([(coach, value, owner) for value in values])
            problems = []
            if any(r.status != "ok" for r in results):
                problems.append(f"{sum(r.status != 'ok' for r in results)} changes failed")
            with database.read() as session:
                final = session.get(StaffMember, coach).takes_bookings  # type: ignore[union-attr]
                events = session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.action == "staff.update", AuditEvent.id > (last_event or 0))
                    .order_by(AuditEvent.id)
                ).all()
            expected_before = start
            lost = 0
            for event in events:
                assert event.before is not None
                assert event.after is not None
                if event.before.get("takes_bookings") != expected_before:
                    lost += 1
                if event.after.get("takes_bookings") == expected_before:
                    lost += 1  # audited as a change, yet it changed nothing
                expected_before = event.after.get("takes_bookings")
            if lost:
                problems.append(f"{lost} changes audited a 'before' another desk had replaced")
            if final != expected_before:
                problems.append(f"row holds {final}, the last change left {expected_before}")
            if not events:
                problems.append("no change was audited though half the desks changed the flag")
            tally.record(results, problems, measure=lost)
    tally.report()
