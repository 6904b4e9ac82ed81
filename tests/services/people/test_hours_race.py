"""Eight desks set one coach's weekly hours at the same moment.

Setting hours replaces them (delete, then insert). At READ COMMITTED two
desks' deletes would each miss the other's new rows and both sets would stay,
mixed; the write locks the staff member's row first, so the last writer wins
whole. After every round the rows are exactly one desk's set, and each
change's audited "before" is what the change before it left.
"""

from __future__ import annotations

from sqlalchemy import select

from desk.models import AuditEvent, StaffWeeklyHours
from desk.services.core.ids import StaffId
from desk.services.people.availability_views import WeeklyRange
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = 50


def hours_of(index: int, n: int) -> list[WeeklyRange]:
    """Desk ``index``'s set in round ``n``: two ranges of its own on two days."""
    start = 6 * 60 + 15 * ((index + n) % 16)
    return [
        WeeklyRange(index % 7, start, start + 120),
        WeeklyRange((index + 3) % 7, start + 180, start + 300),
    ]


def act(services, index, task):
    _what, coach, n, owner = task
    services.availability.set_weekly_hours(StaffId(coach), hours_of(index, n), **acting(owner))
    return index


def _as_text(ranges):
    return sorted(f"{r.weekday}:{r.start_minute}-{r.end_minute}" for r in ranges)


def test_eight_desks_setting_one_coachs_hours_leave_one_whole_set(services, database, backend):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    coach = services.staff.create(name="Kim", role="coach", **acting(None)).value.id
    tally = race.Tally("weekly hours", backend, describe=lambda worst: f"{worst or 0} rows")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(race.rounds(ROUNDS)):
            with database.read() as session:
                last_event = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
            start = _as_text(services.availability.hours(StaffId(coach)).weekly)
            results = running.race([("set", coach, n, owner)] * race.PROCESSES)
            problems = []
            if any(r.status != "ok" for r in results):
                problems.append(f"{sum(r.status != 'ok' for r in results)} changes failed")
            with database.read() as session:
                rows = session.scalars(select(StaffWeeklyHours)).all()
                events = session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.action == "staff.hours", AuditEvent.id > (last_event or 0))
                    .order_by(AuditEvent.id)
                ).all()
            now = sorted(f"{r.weekday}:{r.start_minute}-{r.end_minute}" for r in rows)
            sets = [_as_text(hours_of(i, n)) for i in range(race.PROCESSES)]
            if now not in sets:
                problems.append(f"the rows are no desk's set: {now}")
            chain = start
            for event in events:
                if sorted((event.before or {}).get("hours", [])) != chain:
                    problems.append("a change's before is not what the one before it left")
                chain = sorted((event.after or {}).get("hours", []))
            if chain != now:
                problems.append("the last audited set is not what is stored")
            tally.record(results, problems, measure=len(rows))
    tally.report()
