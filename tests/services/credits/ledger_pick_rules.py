"""The ledger state machine's rules for issue 18 items 1 and 6: booking with a lot
staff picked (valid and invalid picks), and lots valid N days from first use
(sold from a package), whose expiry must appear with their first booking.
LedgerMachine (test_ledger_invariants.py) inherits them; its invariants, and
``expiry_dates_match_the_model`` here, check each."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule
from sqlalchemy import text

from desk.services.core.errors import Conflict, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.credits.ledger_model import BUSY, GYM_TZ, MEMBERS, STAFF, Appt, LedgerModel


class LedgerPickRules(LedgerModel):
    @rule(member=st.integers(0, MEMBERS - 1), kind=st.integers(0, 1),
          quantity=st.integers(1, 4), days=st.integers(1, 12))  # fmt: skip
    def sell_first_use_package(self, member: int, kind: int, quantity: int, days: int) -> None:
        member_id, type_id = self.members[member], self.kinds[kind].id
        name = f"{quantity} of {type_id}, {days} days from first use"
        packages = getattr(self, "_packages", {})
        self._packages = packages
        if name not in packages:
            packages[name] = self.services.catalog.save_package(
                name=name, appointment_type_id=type_id, credits=quantity, price_cents=1_000,
                validity_days=None, first_use_days=days, actor=SYSTEM,
            ).value.id  # fmt: skip
        sold = self.services.sales.sell_package(
            member_id=MemberId(member_id), package_id=packages[name], actor=SYSTEM
        ).value.lot
        lot = self._new_lot(member_id, type_id, quantity, None, days)
        assert (sold.id, sold.expires_on, sold.first_use_days) == (lot.id, None, days)
        self.granted[member_id, type_id] = self.granted.get((member_id, type_id), 0) + quantity

    @precondition(lambda self: bool(self.lots))
    @rule(data=st.data(), member=st.integers(0, MEMBERS - 1), kind=st.integers(0, 1),
          staff=st.integers(0, STAFF - 1), day=st.integers(-1, 14),
          hour=st.integers(6, 20))  # fmt: skip
    def book_a_picked_lot(
        self, data: st.DataObject, member: int, kind: int, staff: int, day: int, hour: int
    ) -> None:
        """Any lot, the member's or not: a pick that can't pay is refused naming it."""
        lot = self.lots[data.draw(st.sampled_from(sorted(self.lots)), label="picked lot")]
        member_id, k, staff_id = self.members[member], self.kinds[kind], self.staff[staff]
        on = self.today + timedelta(days=day)
        starts_at = datetime(on.year, on.month, on.day, hour, tzinfo=GYM_TZ)
        ends_at = starts_at + k.duration
        usable_on = max(on, self.today)
        # The member's own lot, or a lot of the pool they are in now (pool_lots.payable_by).
        theirs = (lot.pool is None and lot.member == member_id) or (
            lot.pool is not None and member_id in self.in_pool
        )
        can_pay = (
            theirs and lot.kind == k.id and lot.remaining > 0
            and (lot.expires_on is None or lot.expires_on >= usable_on)
        )  # fmt: skip
        clash = any(
            a.staff == staff_id and a.status in BUSY
            and a.starts_at < ends_at and a.ends_at > starts_at
            for a in self.appts.values()
        )  # fmt: skip

        def call() -> object:
            return self.services.booking.book(
                member_id=MemberId(member_id), appointment_type_id=AppointmentTypeId(k.id),
                staff_id=StaffId(staff_id), starts_at=starts_at, allow_past=True,
                lot_id=lot.id, actor=SYSTEM,
            )  # fmt: skip

        if not can_pay:
            with pytest.raises(ValidationError, match=f"lot #{lot.id}\\b"):
                call()
            return
        if clash or self._held(member_id, on):  # OnHold is a Conflict too
            self._expect(Conflict, call)
            return
        view = call().value  # type: ignore[attr-defined]
        assert view.lot_id == lot.id
        appt = Appt(len(self.appts) + 1, member_id, k.id, staff_id, starts_at, ends_at, lot.id,
                    AppointmentStatus.BOOKED)  # fmt: skip
        assert view.id == appt.id
        lot.remaining -= 1
        self._first_use(lot, on)
        self.appts[appt.id] = appt

    @invariant()
    def expiry_dates_match_the_model(self) -> None:
        """Every lot's expiry is the model's: a first-use lot gets its date with its
        first booking (that session's day + N) and keeps it."""
        with self.db.read() as session:
            stored = dict(session.execute(text("SELECT id, expires_on FROM credit_lots")).all())
        expected = {lot.id: lot.expires_on for lot in self.lots.values()}
        assert {i: None if d is None else str(d) for i, d in stored.items()} == {
            i: None if d is None else d.isoformat() for i, d in expected.items()
        }
