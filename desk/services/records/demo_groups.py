"""The demo gym's group sessions: "Small Group PT" holds four, and the coming week
has some of its sessions full (with a waitlist) and some with places left.

Written through the same steps a booking and a waitlist join take
(``ledger.open_lot``, ``ledger.take_one``, ``group_sessions.create_booking``), in
the demo's own transaction, after its bulk history.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import (
    AppointmentType,
    LotSource,
    Member,
    MemberStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from desk.services.calendar.group_sessions import SessionKey, create_booking
from desk.services.core.actor import Actor
from desk.services.core.clock import Clock
from desk.services.credits import ledger
from desk.services.records import audit

GROUP_TYPE = "Small Group PT"
GROUP_CAPACITY = 4
GROUP_HOURS = (7, 9, 12, 17, 18)
GROUP_DAYS = 7


def add_group_sessions(
    session: Session,
    clock: Clock,
    rng: random.Random,
    coaches: list[int],
    busy: set[tuple[int, datetime]],
    on: date,
    works: Callable[[int, date, int], bool] = lambda _coach, _day, _hour: True,
) -> int:
    """Give the group type its capacity and book the coming week's group sessions:
    about half full with one or two waiting, the rest part full. Returns how many
    bookings it made (none in a gym too small to fill one). ``works(coach, day,
    hour)`` says whether a coach works that hour (the demo's schedule)."""
    kind = session.scalar(select(AppointmentType).where(AppointmentType.name == GROUP_TYPE))
    if kind is None:
        return 0
    kind.capacity = GROUP_CAPACITY
    people = list(
        session.scalars(
            select(Member.id).where(Member.status == MemberStatus.ACTIVE.value).limit(400)
        )
    )
    if len(people) < 2 * GROUP_CAPACITY or not coaches:
        return 0
    actor = Actor.system("demo")
    now = clock.now()
    made = 0
    for offset in range(GROUP_DAYS):
        day = on + timedelta(days=offset)
        for hour in GROUP_HOURS:
            start = datetime.combine(day, time(hour), tzinfo=clock.tz).astimezone(UTC)
            if start <= now:
                continue
            coach = next(
                (c for c in coaches if (c, start) not in busy and works(c, day, hour)), None
            )
            if coach is None:
                continue
            busy.add((coach, start))
            key = SessionKey(coach, kind.id, start, start + kind.duration)
            full = rng.random() < 0.5
            count = GROUP_CAPACITY if full else rng.randint(2, GROUP_CAPACITY - 1)
            chosen = rng.sample(people, count + (rng.randint(1, 2) if full else 0))
            for member_id in chosen[:count]:
                lot_id = _credit(session, member_id, kind, actor, now, day)
                create_booking(
                    session, clock, member_id=member_id, kind=kind, staff_id=coach, key=key,
                    lot_id=lot_id, notes="", series_id=None, actor=actor,
                )  # fmt: skip
                made += 1
            for member_id in chosen[count:]:
                _credit(session, member_id, kind, actor, now, day, take=False)
                entry = WaitlistEntry(
                    member_id=member_id, appointment_type_id=kind.id, staff_id=coach,
                    starts_at=key.starts_at, ends_at=key.ends_at,
                    status=WaitlistStatus.WAITING.value, created_at=now, created_by_id=None,
                )  # fmt: skip
                session.add(entry)
                session.flush()
                audit.record(
                    session, at=now, actor=actor, action="waitlist.join",
                    entity="waitlist_entry", entity_id=entry.id, member_id=member_id,
                    after={"appointment_type_id": kind.id, "staff_id": coach,
                           "starts_at": key.starts_at, "ends_at": key.ends_at},
                )  # fmt: skip
    return made


def _credit(
    session: Session,
    member_id: int,
    kind: AppointmentType,
    actor: Actor,
    now: datetime,
    day: date,
    *,
    take: bool = True,
) -> int:
    """A one-credit group pass for the member (taken at once for a booking)."""
    lot = ledger.open_lot(
        session, member_id=member_id, appointment_type_id=kind.id, quantity=1,
        source=LotSource.PACKAGE, currency=kind.currency, at=now, actor=actor,
        reason="demo group pass", price_cents=kind.default_price_cents,
    )  # fmt: skip
    if take:
        taken = ledger.take_one(session, member_id, kind.id, day)
        assert taken is not None
        return taken
    return lot.id
