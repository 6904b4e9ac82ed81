"""The ledger state machine's rules for shared pools (issue 18, item 8): a pool with two
of the machine's three members, credits granted into it, members leaving and
joining, an own lot shared into it. Booking from the pool is the machine's own
``book`` rule: the model's ``_usable`` pays from the pool after the member's own
lots. LedgerMachine (test_ledger_invariants.py) inherits these; the invariants
below check each pool balance, and that nobody outside the pool took from it."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule
from sqlalchemy import and_, or_, select

from desk.models import Appointment, CreditEntry, CreditLot, EntryKind, PoolMember
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.credits.ledger_model import MEMBERS, USED, LedgerModel


class LedgerPoolRules(LedgerModel):
    @precondition(lambda self: self.pool is None)
    @rule()
    def make_pool(self) -> None:
        two = [MemberId(m) for m in self.members[:2]]
        view = self.services.pools.create("Family", two, actor=SYSTEM).value
        self.pool = view.id
        self.in_pool = set(two)

    @precondition(lambda self: self.pool is not None)
    @rule(member=st.integers(0, MEMBERS - 1), kind=st.integers(0, 1),
          quantity=st.integers(1, 4), expires_in=st.none() | st.integers(0, 20))  # fmt: skip
    def grant_to_pool(self, member: int, kind: int, quantity: int, expires_in: int | None) -> None:
        assert self.pool is not None
        member_id, type_id = self.members[member], self.kinds[kind].id
        expires_on = None if expires_in is None else self.today + timedelta(days=expires_in)

        def call() -> object:
            return self.services.credits.add_credits(
                member_id=MemberId(member_id), appointment_type_id=AppointmentTypeId(type_id),
                quantity=quantity, expires_on=expires_on, pool_id=self.pool, actor=SYSTEM,
            )  # fmt: skip

        if member_id not in self.in_pool:
            self._expect(ValidationError, call)  # the rule broken on purpose
            return
        got = call().value  # type: ignore[attr-defined]
        lot = self._new_lot(member_id, type_id, quantity, expires_on, pool=self.pool)
        assert got.id == lot.id
        self.pool_granted[type_id] = self.pool_granted.get(type_id, 0) + quantity

    @precondition(lambda self: self.pool is not None)
    @rule(member=st.integers(0, MEMBERS - 1))
    def leave_pool(self, member: int) -> None:
        assert self.pool is not None
        member_id = self.members[member]

        def call() -> object:
            return self.services.pools.remove_member(self.pool, MemberId(member_id), actor=SYSTEM)

        if member_id not in self.in_pool:
            self._expect(InvalidState, call)
            return
        kept = call().value.bookings_kept  # type: ignore[attr-defined]
        assert kept == sum(
            a.member == member_id
            and a.status == AppointmentStatus.BOOKED
            and a.lot is not None  # an unpaid booking: the pool paid nothing for it
            and self.lots[a.lot].pool is not None
            for a in self.appts.values()
        )
        self.in_pool.discard(member_id)

    @precondition(lambda self: self.pool is not None)
    @rule(member=st.integers(0, MEMBERS - 1))
    def join_pool(self, member: int) -> None:
        assert self.pool is not None
        member_id = self.members[member]

        def call() -> object:
            return self.services.pools.add_member(self.pool, MemberId(member_id), actor=SYSTEM)

        if member_id in self.in_pool:
            self._expect(ValidationError, call)
            return
        call()
        self.in_pool.add(member_id)

    @precondition(lambda self: self.pool is not None and bool(self.lots))
    @rule(data=st.data(), quantity=st.integers(1, 4))
    def share_lot(self, data: st.DataObject, quantity: int) -> None:
        lot = self.lots[data.draw(st.sampled_from(sorted(self.lots)), label="lot")]

        def call() -> object:
            return self.services.pools.share_lot(lot.id, quantity=quantity, actor=SYSTEM)

        if lot.pool is not None or lot.member not in self.in_pool:
            self._expect(ValidationError, call)
            return
        if lot.remaining == 0 or self._is_expired(lot):
            self._expect(InvalidState, call)
            return
        if quantity > lot.remaining:
            self._expect(ValidationError, call)
            return
        got = call().value  # type: ignore[attr-defined]
        lot.remaining -= quantity
        new = self._new_lot(lot.member, lot.kind, quantity, lot.expires_on, pool=self.pool)
        assert got.id == new.id
        self.adjusted[lot.member, lot.kind] = (
            self.adjusted.get((lot.member, lot.kind), 0) - quantity
        )
        self.pool_adjusted[lot.kind] = self.pool_adjusted.get(lot.kind, 0) + quantity

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def the_pool_balance_adds_up_and_matches_the_model(self) -> None:
        if self.pool is None:
            return
        rows = {r.appointment_type_id: r for r in self.services.pools.pool(self.pool).balances}
        for kind in self.kinds:
            lots = [
                lot for lot in self.lots.values() if lot.pool is not None and lot.kind == kind.id
            ]
            appts = [
                a for a in self.appts.values()
                if a.kind == kind.id and a.lot is not None and self.lots[a.lot].pool
            ]  # fmt: skip
            expected = {
                "granted": self.pool_granted.get(kind.id, 0),
                "adjusted": self.pool_adjusted.get(kind.id, 0),
                "open": sum(lot.remaining for lot in lots if not self._is_expired(lot)),
                "booked": sum(a.status == AppointmentStatus.BOOKED for a in appts),
                "used": sum(a.status in USED and not a.forgiven for a in appts),
                "expired": sum(
                    lot.expired + (lot.remaining if self._is_expired(lot) else 0) for lot in lots
                ),
            }
            row = rows.get(kind.id)
            if row is None:
                assert not lots
                continue
            assert {name: getattr(row, name) for name in expected} == expected, kind.id
            assert row.open + row.booked + row.used + row.expired == row.granted + row.adjusted
            assert min(row.open, row.booked, row.used, row.expired) >= 0

    @invariant()
    def nobody_outside_the_pool_took_from_it(self) -> None:
        """Every booking a pool lot paid was made while its member was in that pool."""
        if self.pool is None:
            return
        member_then = (
            select(PoolMember.id)
            .where(
                PoolMember.pool_id == CreditLot.pool_id,
                PoolMember.member_id == Appointment.member_id,
                PoolMember.joined_at <= CreditEntry.at,
                or_(PoolMember.left_at.is_(None), PoolMember.left_at >= CreditEntry.at),
            )
            .exists()
        )
        with self.db.read() as session:
            outsiders = session.scalars(
                select(Appointment.id)
                .join(CreditEntry, and_(CreditEntry.appointment_id == Appointment.id,
                                        CreditEntry.kind == EntryKind.BOOK.value))
                .join(CreditLot, CreditLot.id == CreditEntry.lot_id)
                .where(CreditLot.pool_id.is_not(None), ~member_then)
            ).all()  # fmt: skip
        assert outsiders == []
