"""What a (repeating) booking would do, occurrence by occurrence, without writing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from desk.models import AppointmentType, Member, StaffMember
from desk.services.calendar.group_sessions import SessionKey, check_room
from desk.services.core.clock import Clock, local_date, today
from desk.services.core.errors import Clash, Conflict, SessionFull, Unavailable
from desk.services.core.read_models import OccurrencePlan
from desk.services.credits import ledger
from desk.services.credits.paying_lot import choose_lot, spend
from desk.services.people.hold_rules import refuse_on_hold


def plan_occurrences(
    session: Session,
    clock: Clock,
    member: Member,
    kind: AppointmentType,
    staff: StaffMember,
    starts: list[datetime],
    length: timedelta,
    pick: int | None = None,
) -> list[OccurrencePlan]:
    """Each start: whether the coach can take it (the same check as a booking: hours,
    buffers, a group's places) and which lot would pay (``pick``, a lot staff
    picked, while it can), spending the plan's own credits as it goes."""
    on = today(clock)
    lots = ledger.usable_choices(session, member.id, kind.id, on)
    plans: list[OccurrencePlan] = []
    for start in sorted(starts):
        end = start + length
        conflict = clash = unavailable = None
        full = False
        try:
            refuse_on_hold(session, clock.tz, member, start, lock=False)
            check_room(
                session, clock.tz, member, kind, staff, SessionKey(staff.id, kind.id, start, end)
            )
        except Clash as exc:
            conflict, clash = exc.message, exc.clash
        except Unavailable as exc:
            conflict, unavailable = exc.message, exc.reason
        except SessionFull as exc:
            conflict, full = exc.message, True
        except Conflict as exc:  # the member is already in it
            conflict = exc.message
        day = max(local_date(clock, start), on)
        paying = expires = None
        if conflict is None:
            # The same choice book() makes, occurrence by occurrence (nothing is written).
            chosen = choose_lot(lots, day, pick)
            if chosen is not None:
                lots = spend(lots, chosen, 1, first_use_on=local_date(clock, start))
                paying = chosen.id  # and its expiry once paid (a first use dates it)
                expires = next(lot.expires_on for lot in lots if lot.id == paying)
        plans.append(
            OccurrencePlan(
                start, end, paying, conflict, clash, expires, full=full, unavailable=unavailable
            )
        )
    return plans
