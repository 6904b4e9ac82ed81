"""The ledger state machine's rules for a lot's later life (issue 18, items 7 and 9):
changing expiry dates, one lot or many, and transferring credits to another member.
LedgerMachine (test_ledger_invariants.py) inherits them; its invariants check each."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from desk.services.core.errors import InsufficientCredits, InvalidState, ValidationError
from desk.services.core.ids import MemberId
from desk.services.credits.lot_changes import ExpiryFilter, ExpiryShift
from tests.actors import SYSTEM
from tests.services.credits.ledger_model import MEMBERS, LedgerModel


class LedgerLifeRules(LedgerModel):
    @staticmethod
    def _expect(error: type[Exception], call: object) -> None:
        """Run ``call`` and insist it raises ``error`` (the machine's rules share it)."""
        try:
            call()  # type: ignore[operator]
        except error:
            return
        raise AssertionError(f"expected {error.__name__}")

    @precondition(lambda self: bool(self.lots))
    @rule(data=st.data(), days=st.integers(-3, 20), reason=st.sampled_from(["", "wrong term"]))
    def change_expiry(self, data: st.DataObject, days: int, reason: str) -> None:
        lot = self.lots[data.draw(st.sampled_from(sorted(self.lots)), label="lot")]
        new = self.today + timedelta(days=days)

        def call() -> object:
            return self.services.lot_changes.change_expiry(
                lot.id, expires_on=new, reason=reason, actor=SYSTEM
            )

        old = lot.expires_on
        if lot.remaining == 0 or self._is_expired(lot):
            self._expect(InvalidState, call)
        elif new < self.today or new == old or (old is not None and new < old and not reason):
            self._expect(ValidationError, call)
        else:
            assert call().value.old_expires_on == old  # type: ignore[attr-defined]
            lot.expires_on = new

    @rule(first=st.integers(0, 10), span=st.integers(0, 10), days=st.integers(1, 5),
          kind=st.none() | st.integers(0, 1))  # fmt: skip
    def change_expiries(self, first: int, span: int, days: int, kind: int | None) -> None:
        low = self.today + timedelta(days=first)
        high = low + timedelta(days=span)
        type_id = None if kind is None else self.kinds[kind].id
        moved = [
            lot for lot in self.lots.values()
            if lot.remaining > 0 and lot.expires_on is not None
            and max(low, self.today) <= lot.expires_on <= high
            and type_id in (None, lot.kind)
        ]  # fmt: skip
        done = self.services.lot_changes.change_expiries(
            ExpiryFilter(low, high, type_id), ExpiryShift(days=days), actor=SYSTEM
        ).value
        assert sorted(row.lot_id for row in done) == sorted(lot.id for lot in moved)
        for lot in moved:
            assert lot.expires_on is not None
            lot.expires_on = lot.expires_on + timedelta(days=days)

    @precondition(lambda self: bool(self.lots))
    @rule(data=st.data(), to=st.integers(0, MEMBERS - 1), quantity=st.integers(1, 4))
    def transfer(self, data: st.DataObject, to: int, quantity: int) -> None:
        lot = self.lots[data.draw(st.sampled_from(sorted(self.lots)), label="lot")]
        receiver = self.members[to]
        if receiver == lot.member:
            receiver = self.members[(to + 1) % MEMBERS]

        def call() -> object:
            return self.services.lot_changes.transfer(
                lot.id, to_member_id=MemberId(receiver), quantity=quantity, reason="gift",
                actor=SYSTEM,
            )  # fmt: skip

        if self._is_expired(lot) or lot.voided:
            self._expect(InvalidState, call)
            return
        if quantity > lot.remaining:
            self._expect(InsufficientCredits, call)
            return
        result = call().value  # type: ignore[attr-defined]
        lot.remaining -= quantity
        new = self._new_lot(receiver, lot.kind, quantity, lot.expires_on, lot.first_use_days)
        assert result.to_lot_id == new.id
        if lot.pool is not None:  # out of the shared pool, to the receiver's own
            self.pool_adjusted[lot.kind] = self.pool_adjusted.get(lot.kind, 0) - quantity
            self.adjusted[receiver, lot.kind] = (
                self.adjusted.get((receiver, lot.kind), 0) + quantity
            )
            return
        for member, delta in ((lot.member, -quantity), (receiver, quantity)):
            self.adjusted[member, lot.kind] = self.adjusted.get((member, lot.kind), 0) + delta
