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
from desk.services.core.settings import GeneralChange
from desk.services.core.settings_values import CHECK_IN_OPENS_MINUTES
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


def act_general(services, index, task):
    _what, field, value, owner = task
    change = GeneralChange(**{field: value})
    return services.settings.update_general(change, **acting(owner)).value.name


def test_eight_desks_saving_different_general_fields_undo_none_of_each_other(
    services, database, backend
):
    """Half the desks rename the gym, half change the check-in window, at once:
    afterwards each key holds its last audited value and every audited 'before'
    of a key is what the previous change of that key left."""
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    tally = race.Tally("general", backend, describe=lambda worst: f"{worst or 0} lost")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act_general) as running:
        for n in range(ROUNDS):
            with database.write() as session:
                if n % 2 == 0:
                    session.execute(delete(GymSetting))
                last_event = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
            start = services.settings.general()
            tasks = [
                ("set", "name", f"Gym {n}-{i}", owner)
                if i % 2 == 0
                else ("set", "check_in_opens_minutes", 100 + 10 * (n % 50) + i, owner)
                for i in range(race.PROCESSES)
            ]
            results = running.race(tasks)
            problems = []
            if any(r.status != "ok" for r in results):
                problems.append(f"{sum(r.status != 'ok' for r in results)} saves failed")
            with database.read() as session:
                events = session.scalars(
                    select(AuditEvent)
                    .where(
                        AuditEvent.action == "settings.update", AuditEvent.id > (last_event or 0)
                    )
                    .order_by(AuditEvent.id)
                ).all()
            end = services.settings.general()
            expected = {"gym_name": start.name, KEY: start.check_in_opens_minutes}
            lost = 0
            for event in events:
                assert event.before is not None
                assert event.after is not None
                for key, value in event.after.items():
                    if event.before[key] != expected[key]:
                        lost += 1
                    expected[key] = value
            if len(events) != race.PROCESSES:
                problems.append(f"{len(events)} audit events, expected {race.PROCESSES}")
            if lost:
                problems.append(f"{lost} saves audited a 'before' another desk had replaced")
            if (end.name, end.check_in_opens_minutes) != (expected["gym_name"], expected[KEY]):
                problems.append(f"stored {end.name!r}/{end.check_in_opens_minutes}, "
                                f"last audited {expected}")  # fmt: skip
            tally.record(results, problems, measure=lost)
    tally.report()
