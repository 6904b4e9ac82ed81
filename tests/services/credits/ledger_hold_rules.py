"""The ledger state machine's rules for holds (issue 18, item 5): placing a hold moves
the expiry of the member's open lots by its length, ending it early moves them back
by the unused days, cancelling by all; nothing is booked inside a hold (LedgerMachine's
booking rule asks ``_held``). LedgerMachine inherits these rules and invariants."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule
from sqlalchemy import select

from desk.models import CreditLot, MemberHoldLot
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.credits.ledger_model import GYM_TZ, MEMBERS, Hold, LedgerModel


class LedgerHoldRules(LedgerModel):
    @staticmethod
    def _refused(error: type[Exception], call: object) -> None:
        try:
            call()  # type: ignore[operator]
        except error:
            return
        raise AssertionError(f"expected {error.__name__}")

    @rule(member=st.integers(0, MEMBERS - 1), start_in=st.integers(-1, 8),
          length=st.integers(1, 8))  # fmt: skip
    def place_hold(self, member: int, start_in: int, length: int) -> None:
        member_id = self.members[member]
        first = self.today + timedelta(days=start_in)
        last = first + timedelta(days=length - 1)

        def call() -> object:
            return self.services.holds.place_hold(
                MemberId(member_id), starts_on=first, ends_on=last, reason="injury", actor=SYSTEM
            )

        overlaps = any(
            h.member == member_id and not h.cancelled and h.starts_on <= last
            and h.last_day >= first for h in self.holds.values()
        )  # fmt: skip
        booked = any(
            a.member == member_id and a.status == AppointmentStatus.BOOKED
            and first <= a.starts_at.astimezone(GYM_TZ).date() <= last
            for a in self.appts.values()
        )  # fmt: skip
        if first < self.today:
            self._refused(ValidationError, call)
            return
        if overlaps or booked:
            self._refused(InvalidState, call)
            return
        result = call().value  # type: ignore[attr-defined]
        moved = {
            lot.id: length
            for lot in self.lots.values()
            if lot.member == member_id and lot.remaining > 0
            and lot.expires_on is not None and lot.expires_on >= first
        }  # fmt: skip
        assert {lot.lot_id for lot in result.lots} == set(moved)
        for lot_id in moved:
            expires = self.lots[lot_id].expires_on
            assert expires is not None
            self.lots[lot_id].expires_on = expires + timedelta(days=length)
        self.holds[result.hold.id] = Hold(result.hold.id, member_id, first, last, moved)

    def _move_back(self, hold: Hold, days: int) -> None:
        for lot_id, shift in hold.lots.items():
            back = min(days, shift)
            hold.lots[lot_id] = shift - back
            expires = self.lots[lot_id].expires_on
            if back and expires is not None:
                self.lots[lot_id].expires_on = expires - timedelta(days=back)

    @precondition(lambda self: bool(self.holds))
    @rule(data=st.data(), back_in=st.integers(-1, 8))
    def end_hold_early(self, data: st.DataObject, back_in: int) -> None:
        hold = self.holds[data.draw(st.sampled_from(sorted(self.holds)), label="hold")]
        back = self.today + timedelta(days=back_in)

        def call() -> object:
            return self.services.holds.end_hold_early(hold.id, back_on=back, actor=SYSTEM)

        if hold.cancelled or hold.last_day < self.today:
            self._refused(InvalidState, call)
        elif back < self.today or back <= hold.starts_on or back > hold.last_day:
            self._refused(ValidationError, call)
        else:
            call()
            self._move_back(hold, (hold.last_day - back).days + 1)
            hold.last_day = back - timedelta(days=1)

    @precondition(lambda self: bool(self.holds))
    @rule(data=st.data())
    def cancel_hold(self, data: st.DataObject) -> None:
        hold = self.holds[data.draw(st.sampled_from(sorted(self.holds)), label="hold")]

        def call() -> object:
            return self.services.holds.cancel_hold(hold.id, actor=SYSTEM)

        if hold.cancelled or hold.starts_on < self.today:
            self._refused(InvalidState, call)
            return
        call()
        self._move_back(hold, (hold.last_day - hold.starts_on).days + 1)
        hold.cancelled = True

    @invariant()
    def expiry_dates_are_the_model_s_and_holds_shifts_are_stored(self) -> None:
        with self.db.read() as session:
            stored = dict(session.execute(select(CreditLot.id, CreditLot.expires_on)).all())
            shifts = {
                (row.hold_id, row.lot_id): row.days
                for row in session.scalars(select(MemberHoldLot))
            }
        assert stored == {lot.id: lot.expires_on for lot in self.lots.values()}
        assert shifts == {
            (hold.id, lot_id): days for hold in self.holds.values()
            for lot_id, days in hold.lots.items()
        }  # fmt: skip

    @invariant()
    def no_session_is_booked_inside_a_hold(self) -> None:
        for member_id in self.members:
            live = [
                (h.starts_on, h.last_day) for h in self.services.holds.holds(MemberId(member_id))
            ]
            assert live == sorted(
                (h.starts_on, h.last_day) for h in self.holds.values()
                if h.member == member_id and not h.cancelled
            )  # fmt: skip
        booked_held = [
            a.id for a in self.appts.values()
            if a.status == AppointmentStatus.BOOKED
            and self._held(a.member, a.starts_at.astimezone(GYM_TZ).date())
        ]  # fmt: skip
        assert booked_held == []
