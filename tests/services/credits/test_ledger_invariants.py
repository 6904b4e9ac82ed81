"""Random sequences of ledger operations against a model of what they should do.

After every step the ledger reconciles, balances add up, no lot goes negative,
and every number the services report equals what a simple model predicts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule
from sqlalchemy import text

from desk.services.core.changes import Outcome
from desk.services.core.errors import Conflict, InsufficientCredits, InvalidState, ValidationError
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus, AppointmentView
from desk.services.people.hold_rules import OnHold
from tests.actors import SYSTEM
from tests.services.credits.ledger_fee_rules import LedgerFeeRules
from tests.services.credits.ledger_hold_rules import LedgerHoldRules
from tests.services.credits.ledger_life_rules import LedgerLifeRules
from tests.services.credits.ledger_model import (
    BUSY,
    FORGIVABLE,
    GYM_TZ,
    MEMBERS,
    STAFF,
    USED,
    Appt,
)
from tests.services.credits.ledger_pick_rules import LedgerPickRules
from tests.services.credits.ledger_pool_rules import LedgerPoolRules
from tests.services.credits.ledger_runs import RUNS, run_machine
from tests.services.credits.ledger_undo_rules import LedgerUndoRules
from tests.services.credits.ledger_unpaid_rules import LedgerUnpaidRules


class LedgerMachine(
    LedgerPickRules,
    LedgerLifeRules,
    LedgerUnpaidRules,
    LedgerFeeRules,
    LedgerHoldRules,
    LedgerPoolRules,
    LedgerUndoRules,
):
    """LedgerModel's database and model, the rules below and the mixins' (picked lots
    and first use, expiry changes and transfers, unpaid bookings, fees, holds, shared
    pools, undo), checked by the invariants at the end and LedgerFeeRules'."""

    # --- rules ----------------------------------------------------------------------------

    @rule(
        member=st.integers(0, MEMBERS - 1),
        kind=st.integers(0, 1),
        quantity=st.integers(1, 4),
        expires_in=st.none() | st.integers(0, 20),
        keyed=st.booleans(),
    )
    def add_credits(
        self, member: int, kind: int, quantity: int, expires_in: int | None, keyed: bool
    ) -> None:
        member_id, type_id = self.members[member], self.kinds[kind].id
        expires_on = None if expires_in is None else self.today + timedelta(days=expires_in)
        key = f"sale-{len(self.keys)}" if keyed else None
        outcome = self.services.credits.add_credits(
            member_id=MemberId(member_id),
            appointment_type_id=AppointmentTypeId(type_id),
            quantity=quantity,
            expires_on=expires_on,
            idempotency_key=key,
            actor=SYSTEM,
        )
        lot = self._new_lot(member_id, type_id, quantity, expires_on)
        assert outcome.value.id == lot.id
        assert outcome.value.remaining == lot.remaining  # less what settled unpaid bookings
        assert outcome.changes.credits == {member_id}
        self.granted[member_id, type_id] = self.granted.get((member_id, type_id), 0) + quantity
        if key is not None:
            self.keys[key] = lot.id

    @precondition(lambda self: bool(self.keys))
    @rule(data=st.data())
    def replay_sale(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.keys)), label="key")
        lot = self.lots[self.keys[key]]
        outcome = self.services.credits.add_credits(
            member_id=MemberId(lot.member),
            appointment_type_id=AppointmentTypeId(lot.kind),
            quantity=99,
            expires_on=None,
            idempotency_key=key,
            actor=SYSTEM,
        )
        assert outcome.value.id == lot.id
        assert outcome.changes.empty

    @initialize(
        quantities=st.lists(st.integers(0, 3), min_size=2 * MEMBERS, max_size=2 * MEMBERS),
        expires_in=st.none() | st.integers(0, 10),
    )
    def opening_stock(self, quantities: list[int], expires_in: int | None) -> None:
        for index, quantity in enumerate(quantities):
            if quantity:
                self.add_credits(index // 2, index % 2, quantity, expires_in, keyed=False)

    @rule(
        member=st.integers(0, MEMBERS - 1),
        kind=st.integers(0, 1),
        staff=st.integers(0, STAFF - 1),
        day=st.integers(-1, 10),
        hour=st.integers(6, 20),
        half=st.booleans(),
    )
    def book(self, member: int, kind: int, staff: int, day: int, hour: int, half: bool) -> None:
        on = self.today + timedelta(days=day)
        starts_at = datetime(on.year, on.month, on.day, hour, 30 if half else 0, tzinfo=GYM_TZ)
        self._book(member, kind, staff, starts_at)

    @rule(
        member=st.integers(0, MEMBERS - 1),
        kind=st.integers(0, 1),
        staff=st.integers(0, STAFF - 1),
        half_hours=st.integers(-4, 16),
    )
    def book_near_now(self, member: int, kind: int, staff: int, half_hours: int) -> None:
        """Around now, so late cancels and no-shows come up often."""
        now = self.clock.now()
        slot = now.replace(minute=30 if now.minute >= 30 else 0, second=0, microsecond=0)
        self._book(member, kind, staff, slot + timedelta(minutes=30 * half_hours))

    def _book(self, member: int, kind: int, staff: int, starts_at: datetime) -> None:
        member_id, k, staff_id = self.members[member], self.kinds[kind], self.staff[staff]
        on = starts_at.astimezone(GYM_TZ).date()
        ends_at = starts_at + k.duration
        clash = any(
            a.staff == staff_id
            and a.status in BUSY
            and a.starts_at < ends_at
            and a.ends_at > starts_at
            for a in self.appts.values()
        )
        usable = self._usable(member_id, k.id, max(on, self.today))

        def call() -> Outcome[AppointmentView]:
            return self.services.booking.book(
                member_id=MemberId(member_id),
                appointment_type_id=AppointmentTypeId(k.id),
                staff_id=StaffId(staff_id),
                starts_at=starts_at,
                allow_past=True,
                actor=SYSTEM,
            )

        if self._held(member_id, on):
            self._expect(OnHold, call)
            return
        if clash:
            self._expect(Conflict, call)
            return
        if not usable:
            self._expect(InsufficientCredits, call)
            return
        outcome = call()
        appt = Appt(
            len(self.appts) + 1,
            member_id,
            k.id,
            staff_id,
            starts_at,
            ends_at,
            usable[0].id,
            AppointmentStatus.BOOKED,
        )
        assert outcome.value.id == appt.id
        assert outcome.value.lot_id == appt.lot, "not the lot that expires first"
        assert outcome.value.ends_at == ends_at
        usable[0].remaining -= 1
        self._first_use(usable[0], on)
        self.appts[appt.id] = appt

    @precondition(lambda self: bool(self.appts))
    @rule(data=st.data(), override=st.booleans(), reason=st.sampled_from(["", "storm"]))
    def cancel(self, data: st.DataObject, override: bool, reason: str) -> None:
        appt = self._pick(data)
        kind = next(k for k in self.kinds if k.id == appt.kind)
        late = self.clock.now() >= appt.starts_at - kind.late_cancel
        call = lambda: self.services.booking.cancel(  # noqa: E731
            AppointmentId(appt.id), return_credit=override, reason=reason, actor=SYSTEM
        )
        if appt.status != AppointmentStatus.BOOKED:
            self._expect(InvalidState, call)
            return
        if late and override and not reason:
            self._expect(ValidationError, call)
            return
        result = call()
        give_back = not late or override
        assert result.value.late == late
        assert result.value.credit_returned == give_back
        assert result.changes.credits == {appt.member}
        appt.status = AppointmentStatus.CANCELLED if give_back else AppointmentStatus.LATE_CANCELLED
        assert result.value.appointment.status == appt.status
        if give_back and appt.lot is not None:  # an unpaid booking frees nothing
            self.lots[appt.lot].remaining += 1
        self._fee_after(appt)

    @precondition(lambda self: bool(self.appts))
    @rule(data=st.data())
    def check_in(self, data: st.DataObject) -> None:
        appt = self._pick(data)
        call = lambda: self.services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM)  # noqa: E731
        now = self.clock.now()
        # Check-in is for today's sessions (local day), from 60 minutes (the default) before.
        other_day = appt.starts_at.astimezone(GYM_TZ).date() != self.today
        not_open = now < appt.starts_at - timedelta(minutes=60)
        if appt.status != AppointmentStatus.BOOKED or other_day or not_open:
            self._expect(InvalidState, call)
            return
        assert call().value.status == AppointmentStatus.ATTENDED
        appt.status = AppointmentStatus.ATTENDED

    @precondition(lambda self: bool(self.appts))
    @rule(data=st.data())
    def no_show(self, data: st.DataObject) -> None:
        appt = self._pick(data, started=True)
        call = lambda: self.services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)  # noqa: E731
        if appt.status != AppointmentStatus.BOOKED or self.clock.now() < appt.starts_at:
            self._expect(InvalidState, call)
            return
        assert call().value.status == AppointmentStatus.NO_SHOW
        appt.status = AppointmentStatus.NO_SHOW
        self._fee_after(appt)

    @precondition(lambda self: bool(self.appts))
    @rule(data=st.data())
    def forgive(self, data: st.DataObject) -> None:
        """A late cancel or no-show forgiven afterwards: its credit back on its lot, once."""
        used = [i for i, a in self.appts.items() if a.status in FORGIVABLE]
        pool = used if used and data.draw(st.integers(0, 3), label="forgivable?") else self.appts
        appt = self.appts[data.draw(st.sampled_from(sorted(pool)), label="forgive")]
        call = lambda: self.services.booking.forgive(  # noqa: E731
            AppointmentId(appt.id), reason="goodwill", actor=SYSTEM
        )
        if appt.status not in FORGIVABLE or appt.forgiven or appt.lot is None:
            self._expect(InvalidState, call)
            return
        assert call().value.status == appt.status
        appt.forgiven = True
        self.lots[appt.lot].remaining += 1
        self._fee_forgiven(appt)

    @rule(
        member=st.integers(0, MEMBERS - 1),
        kind=st.integers(0, 1),
        delta=st.integers(-3, 3).filter(bool),
    )
    def adjust(self, member: int, kind: int, delta: int) -> None:
        member_id, type_id = self.members[member], self.kinds[kind].id

        def call() -> object:
            return self.services.credits.adjust(
                member_id=MemberId(member_id),
                appointment_type_id=AppointmentTypeId(type_id),
                delta=delta,
                reason="stocktake",
                actor=SYSTEM,
            )

        if delta < 0:
            usable = self._usable(member_id, type_id, self.today, pools=False)
            if sum(lot.remaining for lot in usable) < -delta:
                self._expect(InsufficientCredits, call)
                return
            call()
            need = -delta
            for lot in usable:
                take = min(lot.remaining, need)
                lot.remaining -= take
                need -= take
        else:
            targets = [
                lot
                for lot in self.lots.values()
                if lot.member == member_id
                and lot.pool is None
                and lot.kind == type_id
                and not self._is_expired(lot)
                and not lot.voided
            ]
            call()
            if targets:
                never = [lot for lot in targets if lot.expires_on is None]
                pool = never or targets
                best = max(pool, key=lambda lot: (lot.expires_on or date.min, lot.id))
                best.remaining += delta
                self._settle(member_id, type_id)  # an added credit pays unpaid bookings too
            else:
                self._new_lot(member_id, type_id, delta, None)
        self.adjusted[member_id, type_id] = self.adjusted.get((member_id, type_id), 0) + delta

    @rule()
    def expire_due(self) -> None:
        due = [lot for lot in self.lots.values() if self._is_expired(lot) and lot.remaining > 0]
        outcome = self.services.credits.expire_due(actor=SYSTEM)
        assert outcome.value == len(due)
        assert outcome.changes.credits == {lot.member for lot in due}
        for lot in due:
            lot.expired += lot.remaining
            lot.remaining = 0
        assert self.services.credits.expire_due(actor=SYSTEM).value == 0

    @rule(hours=st.integers(1, 60))
    def time_passes(self, hours: int) -> None:
        self.clock.current += timedelta(hours=hours)

    @precondition(
        lambda self: any(
            a.status == AppointmentStatus.BOOKED and a.starts_at > self.clock.now()
            for a in self.appts.values()
        )
    )
    @rule(minutes=st.integers(0, 90))
    def next_appointment_starts(self, minutes: int) -> None:
        now = self.clock.now()
        soonest = min(
            a.starts_at
            for a in self.appts.values()
            if a.status == AppointmentStatus.BOOKED and a.starts_at > now
        )
        self.clock.current = soonest.astimezone(UTC) + timedelta(minutes=minutes)

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def ledger_reconciles(self) -> None:
        assert self.services.credits.verify_ledger() == []

    @invariant()
    def lots_match_the_model_and_never_go_negative(self) -> None:
        with self.db.read() as session:
            stored = dict(session.execute(text("SELECT id, remaining FROM credit_lots")).all())
        assert all(remaining >= 0 for remaining in stored.values())
        assert stored == {lot.id: lot.remaining for lot in self.lots.values()}

    @invariant()
    def balances_add_up_and_match_the_model(self) -> None:
        for member_id in self.members:
            rows = {
                row.appointment_type_id: row
                for row in self.services.credits.balances(MemberId(member_id))
            }
            for kind in self.kinds:
                lots = [
                    lot
                    for lot in self.lots.values()
                    if lot.member == member_id and lot.kind == kind.id and lot.pool is None
                ]
                appts = [  # paid by their own lots: the pool's are counted apart
                    a
                    for a in self.appts.values()
                    if a.member == member_id
                    and a.kind == kind.id
                    and a.lot is not None
                    and self.lots[a.lot].pool is None
                ]
                expected = {
                    "granted": self.granted.get((member_id, kind.id), 0),
                    "adjusted": self.adjusted.get((member_id, kind.id), 0),
                    "open": sum(lot.remaining for lot in lots if not self._is_expired(lot)),
                    "booked": sum(a.status == AppointmentStatus.BOOKED for a in appts if a.lot),
                    "used": sum(a.status in USED and not a.forgiven for a in appts if a.lot),
                    "expired": sum(
                        lot.expired + (lot.remaining if self._is_expired(lot) else 0)
                        for lot in lots
                    ),
                }
                # What they can book: their own open credits and their pool's.
                assert self.services.credits.open_credits(
                    MemberId(member_id), AppointmentTypeId(kind.id)
                ) == sum(lot.remaining for lot in self._usable(member_id, kind.id, self.today))
                row = rows.get(kind.id)
                if row is None:
                    assert not lots
                    continue
                got = {name: getattr(row, name) for name in expected}
                assert got == expected, (member_id, kind.id)
                assert row.open + row.booked + row.used + row.expired == (
                    row.granted + row.adjusted
                )


# --- how long it runs: ledger_runs.py (5,000 steps on SQLite, 1,000 on PostgreSQL) --------


@pytest.mark.parametrize("run", range(1, RUNS + 1))
def test_ledger_invariants(backend: str, run: int, request: pytest.FixtureRequest) -> None:
    run_machine(LedgerMachine, backend, request)
