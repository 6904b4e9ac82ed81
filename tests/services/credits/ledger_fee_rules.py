"""The ledger state machine's rules for fees by policy (issue 18, item 4): a type's
late-cancel and no-show fees (charged by the machine's cancel and no-show rules through
``_fee_after``, optionally instead of the forfeit), waiving a fee, and forgiving one.
LedgerMachine (test_ledger_invariants.py) inherits them; the invariants below check
that the account is the sum of its entries and no appointment has two open fees."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule
from sqlalchemy import func, select

from desk.models import AccountEntry
from desk.services.core.errors import InvalidState
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.credits.ledger_databases import MachineDatabases
from tests.services.credits.ledger_model import Appt, LedgerModel


@dataclass
class Fee:
    id: int
    member: int
    appointment: int
    cents: int
    waived: bool = False


@dataclass(frozen=True)
class Policy:
    late_cancel: int = 0
    no_show: int = 0
    replaces_forfeit: bool = False


class LedgerFeeRules(LedgerModel):
    def __init__(self, databases: MachineDatabases | None = None) -> None:
        super().__init__(databases)
        self.fees: dict[int, Fee] = {}
        self.policies: dict[int, Policy] = {}

    @initialize(
        late=st.lists(st.sampled_from([0, 1_500]), min_size=2, max_size=2),
        no_show=st.lists(st.sampled_from([0, 2_000]), min_size=2, max_size=2),
        replaces=st.lists(st.booleans(), min_size=2, max_size=2),
    )
    def opening_fees(self, late: list[int], no_show: list[int], replaces: list[bool]) -> None:
        """Most machines start with fees on their types (one rule among many would
        seldom come before the cancels and no-shows)."""
        for kind in (0, 1):
            self.set_fees(kind, late[kind], no_show[kind], replaces[kind])

    @rule(
        kind=st.integers(0, 1),
        late=st.sampled_from([0, 1_500]),
        no_show=st.sampled_from([0, 2_000]),
        replaces=st.booleans(),
    )
    def set_fees(self, kind: int, late: int, no_show: int, replaces: bool) -> None:
        type_id = self.kinds[kind].id
        fees = self.services.appointment_types.set_fees(
            AppointmentTypeId(type_id), late_cancel_fee_cents=late, no_show_fee_cents=no_show,
            replaces_forfeit=replaces, actor=SYSTEM,
        ).value  # fmt: skip
        assert (fees.late_cancel_fee_cents, fees.no_show_fee_cents) == (late, no_show)
        self.policies[type_id] = Policy(late, no_show, replaces)

    def _fee_after(self, appt: Appt) -> None:
        """The model of a late cancel or no-show just made: the fee its type charges,
        and the credit back on its lot when the fee replaces the forfeit."""
        policy = self.policies.get(appt.kind, Policy())
        cents = policy.late_cancel if appt.status == AppointmentStatus.LATE_CANCELLED else (
            policy.no_show if appt.status == AppointmentStatus.NO_SHOW else 0
        )  # fmt: skip
        if cents <= 0:
            return
        if policy.replaces_forfeit and appt.lot is not None:
            # An unpaid booking has no credit to give back: it still owes one, which
            # the next credits pay (settle_unpaid), as the service does.
            self.lots[appt.lot].remaining += 1
            appt.forgiven = True  # released like a forgiven one: not used, not forgivable
        [newest, *_] = self.services.fees.fees(MemberId(appt.member))
        assert (newest.appointment_id, newest.amount_cents, newest.waived) == (
            appt.id, cents, False,
        )  # fmt: skip
        assert newest.id not in self.fees
        self.fees[newest.id] = Fee(newest.id, appt.member, appt.id, cents)

    def _fee_forgiven(self, appt: Appt) -> None:
        """Forgiving a late cancel or no-show waives its open fee."""
        for fee in self.fees.values():
            if fee.appointment == appt.id and not fee.waived:
                fee.waived = True

    @precondition(lambda self: bool(self.fees))
    @rule(data=st.data())
    def waive_fee(self, data: st.DataObject) -> None:
        fee = self.fees[data.draw(st.sampled_from(sorted(self.fees)), label="fee")]

        def call() -> object:
            return self.services.fees.waive(fee.id, reason="goodwill", actor=SYSTEM)

        if fee.waived:
            try:
                call()
            except InvalidState:
                return
            raise AssertionError("waived a fee twice")
        assert call().value.waived  # type: ignore[attr-defined]
        fee.waived = True

    @invariant()
    def accounts_are_their_entries_and_the_open_fees(self) -> None:
        with self.db.read() as session:
            sums = dict(
                session.execute(
                    select(AccountEntry.member_id, func.sum(AccountEntry.amount_cents)).group_by(
                        AccountEntry.member_id
                    )
                ).all()
            )
            fee_sums = dict(  # fees and their waivers only (sales and voids move money too)
                session.execute(
                    select(AccountEntry.member_id, func.sum(AccountEntry.amount_cents))
                    .where(AccountEntry.kind.in_(("fee", "waiver")))
                    .group_by(AccountEntry.member_id)
                ).all()
            )
            open_per_appointment = session.execute(
                select(AccountEntry.appointment_id, func.count())
                .where(
                    AccountEntry.kind == "fee",
                    AccountEntry.id.not_in(
                        select(AccountEntry.reverses_id)
                        .where(AccountEntry.reverses_id.is_not(None))
                        .scalar_subquery()
                    ),
                )
                .group_by(AccountEntry.appointment_id)
            ).all()
        assert all(count == 1 for _appointment, count in open_per_appointment)
        for member in self.members:
            owed = sum(f.cents for f in self.fees.values() if f.member == member and not f.waived)
            balance = self.services.account.balance(MemberId(member))
            assert balance == int(sums.get(member, 0) or 0), member
            assert int(fee_sums.get(member, 0) or 0) == -owed, member
