"""The ledger state machine's rules for book now, pay later (issue 18, item 3): booking
without a credit as unpaid, and every grant settling the member's unpaid bookings of
its type, oldest first. LedgerMachine (test_ledger_invariants.py) inherits them.

The model settles in ``_new_lot``, the one place the model opens a lot (Add Credits,
an adjustment with no lot to add to, a transfer in), as the services do in
``ledger.open_lot``; right after, no unpaid booking of that member and type may be
left while a credit could pay it (the issue's invariant), and
``unpaid_bookings_match_the_model`` checks the services' list after every step.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from desk.services.core.errors import Conflict
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus
from desk.services.people.hold_rules import OnHold
from tests.actors import SYSTEM
from tests.services.credits.ledger_model import (
    BUSY,
    GYM_TZ,
    MEMBERS,
    STAFF,
    Appt,
    LedgerModel,
    Lot,
)

OWING = {
    AppointmentStatus.BOOKED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.LATE_CANCELLED,
}


class LedgerUnpaidRules(LedgerModel):
    def _owing(self, member: int, kind: int) -> list[Appt]:
        return sorted(
            (
                a
                for a in self.appts.values()
                if a.member == member and a.kind == kind and a.lot is None and a.status in OWING
            ),
            key=lambda a: (a.starts_at, a.id),
        )

    def _payday(self, appt: Appt) -> date:
        return max(appt.starts_at.astimezone(GYM_TZ).date(), self.today)

    def _new_lot(self, member: int, kind: int, quantity: int, expires_on: date | None,
                 first_use_days: int | None = None, pool: int | None = None) -> Lot:  # fmt: skip
        lot = super()._new_lot(member, kind, quantity, expires_on, first_use_days, pool)
        self._settle(member, kind)
        return lot

    def _settle(self, member: int, kind: int) -> None:
        for appt in self._owing(member, kind):
            usable = self._usable(member, kind, self._payday(appt))
            if usable:
                appt.lot = usable[0].id
                usable[0].remaining -= 1
                self._first_use(usable[0], self._payday(appt))  # its clock starts, as in take_one
        for appt in self._owing(member, kind):  # the invariant, right after the grant
            assert not self._usable(member, kind, self._payday(appt)), (
                f"unpaid booking {appt.id} left next to a credit that could pay it"
            )

    @rule(
        member=st.integers(0, MEMBERS - 1),
        kind=st.integers(0, 1),
        staff=st.integers(0, STAFF - 1),
        day=st.integers(-1, 10),
        hour=st.integers(6, 20),
    )
    def book_unpaid(self, member: int, kind: int, staff: int, day: int, hour: int) -> None:
        on = self.today + timedelta(days=day)
        starts_at = datetime(on.year, on.month, on.day, hour, tzinfo=GYM_TZ)
        member_id, k, staff_id = self.members[member], self.kinds[kind], self.staff[staff]
        ends_at = starts_at + k.duration
        clash = any(
            a.staff == staff_id and a.status in BUSY and a.starts_at < ends_at
            and a.ends_at > starts_at
            for a in self.appts.values()
        )  # fmt: skip

        def call() -> object:
            return self.services.booking.book(
                member_id=MemberId(member_id), appointment_type_id=AppointmentTypeId(k.id),
                staff_id=StaffId(staff_id), starts_at=starts_at, allow_past=True, unpaid=True,
                actor=SYSTEM,
            ).value  # fmt: skip

        if self._held(member_id, on):  # a hold refuses any booking on its days
            self._expect(OnHold, call)  # type: ignore[attr-defined]
            return
        if clash:
            self._expect(Conflict, call)  # type: ignore[attr-defined]
            return
        usable = self._usable(member_id, k.id, max(on, self.today))
        view = call()
        appt = Appt(len(self.appts) + 1, member_id, k.id, staff_id, starts_at, ends_at,
                    usable[0].id if usable else None, AppointmentStatus.BOOKED)  # type: ignore[arg-type]  # fmt: skip
        assert view.id == appt.id  # type: ignore[attr-defined]
        assert view.lot_id == appt.lot  # type: ignore[attr-defined]
        assert view.unpaid == (appt.lot is None)  # type: ignore[attr-defined]
        if usable:
            usable[0].remaining -= 1
            self._first_use(usable[0], on)  # a first-use lot's clock starts, as for any booking
        self.appts[appt.id] = appt

    @invariant()
    def unpaid_bookings_match_the_model(self) -> None:
        for member_id in self.members:
            got = [a.id for a in self.services.unpaid.owing(MemberId(member_id))]
            expected = sorted(
                (a for a in self.appts.values()
                 if a.member == member_id and a.lot is None and a.status in OWING),
                key=lambda a: (a.starts_at, a.id),
            )  # fmt: skip
            assert got == [a.id for a in expected]
