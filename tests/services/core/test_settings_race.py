"""Eight desks change one gym setting at the same moment.

The last writer wins, which is what changing a setting means; what must hold is
that no change is lost from the record: the audit log's "before" of each change
is the value the change before it left (a desk that read a value another desk
was replacing would audit a stale "before"), there is one row for the key, and
its value is the last audited one. Every other round starts with no row at all,
so the first insert is raced too (the loser's primary key clashes and
@retry_transient runs it again as an update).
"""

from __future__ import annotations

from sqlalchemy import delete, select

from desk.models import AuditEvent, GymSetting
from desk.services.core.settings import CHECK_IN_OPENS_MINUTES
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = 50
KEY = CHECK_IN_OPENS_MINUTES.key


def act(services, index, task):
    _what, minutes, owner = task
    return services.settings.set_check_in_opens_minutes(minutes, **acting(owner)).value


def test_eight_desks_changing_one_setting_lose_no_change(services, database, backend):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    tally = race.Tally("one setting", backend, describe=lambda worst: f"{worst or 0} lost")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            with database.write() as session:
                if n % 2 == 0:
                    session.execute(delete(GymSetting).where(GymSetting.key == KEY))
                last_event = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
            start = services.settings.check_in_opens_minutes()
            values = [10 * n + i + 1 for i in range(race.PROCESSES)]
            results = running.race([("set", value, owner) for value in values])
            problems = []
            if any(r.status != "ok" for r in results):
                problems.append(f"{sum(r.status != 'ok' for r in results)} changes failed")
            with database.read() as session:
                rows = session.scalars(select(GymSetting).where(GymSetting.key == KEY)).all()
                events = session.scalars(
                    select(AuditEvent)
                    .where(
                        AuditEvent.action == "settings.update", AuditEvent.id > (last_event or 0)
                    )
                    .order_by(AuditEvent.id)
                ).all()
            if len(rows) != 1:
                problems.append(f"{len(rows)} rows for {KEY}")
            if len(events) != race.PROCESSES:
                problems.append(f"{len(events)} audit events, expected {race.PROCESSES}")
            expected_before = start
            lost = 0
            for event in events:
                assert event.before is not None
                assert event.after is not None
                if event.before[KEY] != expected_before:
                    lost += 1
                expected_before = event.after[KEY]
            if lost:
                problems.append(f"{lost} changes audited a 'before' another desk had replaced")
            if rows and events and int(rows[0].value) != events[-1].after[KEY]:
                problems.append(f"row holds {rows[0].value}, last change was {events[-1].after}")
            tally.record(results, problems, measure=lost)
    tally.report()
