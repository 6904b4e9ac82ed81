"""Write tests/data/schema_0010.sqlite3 and its balances: a gym saved by the release at
schema revision 0010 (before group sessions), with members, lots, bookings in every
status and their audit rows.

Run it from a checkout of that release (``git archive 3d5e723``), not from this tree:
``PYTHONPATH=<release> python tests/data/make_schema_0010.py <out folder>``.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from desk.db import open_database
from desk.services.container import Services
from desk.services.core.actor import Actor
from desk.services.core.clock import FixedClock
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def main(folder: Path) -> None:
    path = folder / "schema_0010.sqlite3"
    path.unlink(missing_ok=True)
    db = open_database(f"sqlite:///{path}")
    clock = FixedClock(NOW, ZONE)
    s = Services.build(db, clock)
    actor = Actor.system("schema 0010 fixture")
    pt = s.appointment_types.create(name="Personal Training", duration_minutes=60, actor=actor)
    group = s.appointment_types.create(
        name="Small Group PT", duration_minutes=60, late_cancel_hours=12, actor=actor
    )
    coaches = [
        s.staff.create(name=f"Coach {n}", role="coach", actor=actor).value.id for n in (1, 2)
    ]
    kinds = [pt.value.id, group.value.id]
    first = ("Ann Bob Cid Dee Eve Fay Gus Hal Ida Jo").split()
    for n in range(40):
        member = s.members.create(
            first_name=first[n % 10], last_name=f"Member{n}", email=f"m{n}@example.com",
            actor=actor,
        ).value  # fmt: skip
        mid = MemberId(member.id)
        for i, kind in enumerate(kinds):
            s.credits.add_credits(
                member_id=mid, appointment_type_id=AppointmentTypeId(kind), quantity=3 + n % 4,
                expires_on=date(2027, 6, 30) if (n + i) % 2 else None,
                price_cents=10_000 * (i + 1), actor=actor,
            )  # fmt: skip
        for k in range(4):
            kind = kinds[(n + k) % 2]
            start = datetime(2026, 10, 1, 6, tzinfo=ZONE) + timedelta(days=n + 10 * k, hours=k)
            appt = s.booking.book(
                member_id=mid, appointment_type_id=AppointmentTypeId(kind),
                staff_id=StaffId(coaches[(n + k) % 2]), starts_at=start, allow_past=True,
                actor=actor,
            ).value  # fmt: skip
            ident = AppointmentId(appt.id)
            if start.astimezone(UTC) < NOW:
                if k == 0:
                    clock.current = start.astimezone(UTC) + timedelta(minutes=5)
                    s.booking.check_in(ident, actor=actor)
                    clock.current = NOW
                elif k == 1:
                    s.booking.no_show(ident, actor=actor)
            elif k == 2:
                s.booking.cancel(ident, actor=actor)
            elif k == 3 and n % 3 == 0:
                clock.current = start.astimezone(UTC) - timedelta(hours=1)
                s.booking.cancel(ident, actor=actor)  # late: the credit is forfeited
                clock.current = NOW
        if n % 5 == 0:
            s.credits.adjust(
                member_id=mid, appointment_type_id=AppointmentTypeId(kinds[0]), delta=-1,
                reason="fixture correction", actor=actor,
            )  # fmt: skip
    balances = {
        str(m): [
            [row.appointment_type, row.granted, row.adjusted, row.open, row.booked, row.used,
             row.expired]
            for row in s.credits.balances(MemberId(m))
        ]
        for m in range(1, 41)
    }  # fmt: skip
    (folder / "schema_0010_balances.json").write_text(json.dumps(balances, indent=1) + "\n")
    db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
