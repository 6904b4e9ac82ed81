"""The ledger state machine's rules for Undo of the last credit action (issue 18, item 11):
Add Credits, Adjust, a transfer and a void, each undone within the 10 minutes or after
them (the machine's FixedClock moves on), and refused when a booking came in between.
LedgerMachine (test_ledger_invariants.py) inherits them; its invariants check each, and
``no_action_is_undone_twice`` is this item's own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule
from sqlalchemy import func, select

from desk.models import AuditEvent
from desk.services.core.errors import InvalidState
from tests.actors import SYSTEM
from tests.services.credits.ledger_model import MEMBERS, STAFF, LedgerModel, Lot

WAITS = st.sampled_from([0, 4, 10, 11, 14])
"""Minutes between the action and its undo: 10 is still in time, 11 is not."""


class LedgerUndoRules(LedgerModel):
    if TYPE_CHECKING:

        def add_credits(self, member: int, kind: int, quantity: int, expires_in: int | None,
                        keyed: bool) -> None: ...  # fmt: skip
        def adjust(self, member: int, kind: int, delta: int) -> None: ...
        def transfer(self, data: st.DataObject, to: int, quantity: int) -> None: ...
        def _book(self, member: int, kind: int, staff: int, starts_at: object) -> None: ...
        @staticmethod
        def _expect(error: type[Exception], call: object) -> None: ...

    def _unpaid(self) -> int:
        """Bookings without a lot: a grant that settles one (settle_unpaid) writes the
        newest audit row, so Undo rightly offers nothing for the grant itself."""
        return sum(1 for a in self.appts.values() if a.lot is None)

    def _token(self, member_id: int) -> int:
        token = self.services.credit_undo.last_action(member_id, by=SYSTEM)
        assert token is not None, "the action just done is not offered for undo"
        return token.event_id

    def _undo(self, event_id: int, wait: int, ok: Callable[[], bool]) -> bool:
        """Undo after ``wait`` minutes; whether it went through. The model says whether
        it should: in time, and ``ok()`` (nothing depends on it) once the time has moved."""
        self.clock.current += timedelta(minutes=wait)

        def call() -> object:
            return self.services.credit_undo.undo(event_id, actor=SYSTEM)

        if wait > 10 or not ok():
            self._expect(InvalidState, call)
            return False
        call()
        return True

    def _remaining(self) -> dict[int, int]:
        return {lot.id: lot.remaining for lot in self.lots.values()}

    @rule(member=st.integers(0, MEMBERS - 1), kind=st.integers(0, 1),
          quantity=st.integers(1, 4), expires_in=st.none() | st.integers(0, 20), wait=WAITS,
          book_first=st.booleans(), staff=st.integers(0, STAFF - 1),
          hours=st.integers(1, 40))  # fmt: skip
    def undo_add_credits(self, member: int, kind: int, quantity: int, expires_in: int | None,
                         wait: int, book_first: bool, staff: int, hours: int) -> None:  # fmt: skip
        unpaid = self._unpaid()
        self.add_credits(member, kind, quantity, expires_in, keyed=False)
        if self._unpaid() < unpaid:
            return  # it paid unpaid bookings: nothing of it is offered for undo (see _unpaid)
        lot = self.lots[max(self.lots)]
        event = self._token(lot.member)
        if book_first:  # a booking in between may take a credit of the new lot
            self._book(member, kind, staff, self.clock.now() + timedelta(hours=hours))
        if self._undo(event, wait, lambda: lot.remaining == quantity):
            lot.remaining -= quantity
            self._adjusted(lot, -quantity)

    @rule(member=st.integers(0, MEMBERS - 1), kind=st.integers(0, 1),
          delta=st.integers(-3, 3).filter(bool), wait=WAITS)  # fmt: skip
    def undo_adjust(self, member: int, kind: int, delta: int, wait: int) -> None:
        before, lots_before = self._remaining(), set(self.lots)
        member_id, type_id = self.members[member], self.kinds[kind].id
        adjusted, unpaid = self.adjusted.get((member_id, type_id), 0), self._unpaid()
        self.adjust(member, kind, delta)
        if self.adjusted.get((member_id, type_id), 0) == adjusted or self._unpaid() < unpaid:
            return  # refused (not enough open credits), or it paid unpaid bookings (_unpaid)
        moved = {
            lot_id: remaining - before.get(lot_id, 0)
            for lot_id, remaining in self._remaining().items()
            if remaining != before.get(lot_id, 0) or lot_id not in lots_before
        }
        event = self._token(member_id)
        lots = [self.lots[lot_id] for lot_id in moved]

        def ok() -> bool:
            if any(self._is_expired(lot) for lot in lots):
                return False
            return all(self.lots[i].remaining >= amount for i, amount in moved.items())

        if self._undo(event, wait, ok):
            for lot_id, amount in moved.items():
                self.lots[lot_id].remaining -= amount
            self._adjusted(self.lots[next(iter(moved))], -delta)

    @precondition(lambda self: bool(self.lots))
    @rule(data=st.data(), to=st.integers(0, MEMBERS - 1), quantity=st.integers(1, 4),
          wait=WAITS)  # fmt: skip
    def undo_transfer(self, data: st.DataObject, to: int, quantity: int, wait: int) -> None:
        before, count, unpaid = self._remaining(), len(self.lots), self._unpaid()
        self.transfer(data, to, quantity)
        if len(self.lots) == count or self._unpaid() < unpaid:
            return  # refused, or it paid unpaid bookings (_unpaid): nothing to undo
        new = self.lots[max(self.lots)]
        old = next(
            lot for lot in self.lots.values()
            if lot.id != new.id and lot.remaining < before.get(lot.id, 0)
        )  # fmt: skip
        event = self._token(new.member)
        if self._undo(event, wait, lambda: not self._is_expired(old)):
            new.remaining -= quantity
            old.remaining += quantity
            self._adjusted(new, -quantity)
            self._adjusted(old, quantity)

    @precondition(lambda self: bool(self.lots))
    @rule(data=st.data(), undo=st.booleans(), wait=WAITS)
    def void_and_undo(self, data: st.DataObject, undo: bool, wait: int) -> None:
        """Void a lot no session was booked on (a booked one would tie cancels and
        forgiving to the void), then perhaps undo the void."""
        booked = {appt.lot for appt in self.appts.values()}
        free = sorted(set(self.lots) - booked)
        if not free:
            return
        lot = self.lots[data.draw(st.sampled_from(free), label="void lot")]

        def call() -> object:
            return self.services.sales.void_lot(lot.id, reason="wrong member", actor=SYSTEM)

        if lot.voided:
            self._expect(InvalidState, call)
            return
        call()
        removed = lot.remaining
        lot.remaining, lot.voided = 0, True
        self._adjusted(lot, -removed)
        if not undo:
            return
        event = self._token(lot.member)
        if self._undo(event, wait, lambda: not self._is_expired(lot)):
            lot.remaining, lot.voided = removed, False
            self._adjusted(lot, removed)

    def _adjusted(self, lot: Lot, delta: int) -> None:
        if lot.pool is not None:  # a shared pool's lot: the pool's adjustments
            self.pool_adjusted[lot.kind] = self.pool_adjusted.get(lot.kind, 0) + delta
            return
        key = lot.member, lot.kind
        self.adjusted[key] = self.adjusted.get(key, 0) + delta

    @invariant()
    def no_action_is_undone_twice(self) -> None:
        with self.db.read() as session:
            most = session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "credits.undo")
                .group_by(AuditEvent.entity_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        assert (most or 0) <= 1
