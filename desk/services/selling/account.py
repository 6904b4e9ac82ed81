"""A member's account: charges, payments, account credit and refunds, in cents.

The balance is the sum of the entries. Credit on the account pays the next
charge first and whatever is left carries over: $400 of credit against a $250
bill leaves $150 for the next period (the help center's example).

Every write to an account goes through ``locked_balance`` first: it locks the
member's row (``members.lock_member``) and only then sums the entries. Two desks charging the same
member at once would otherwise both read the same $400 of credit and both
spend it (PostgreSQL at READ COMMITTED lets both read before either commits).
With the lock the second desk waits for the first to commit and then reads the
balance that includes the first charge. SQLite needs no lock: every write
transaction begins IMMEDIATE, so the second desk can't even start reading
until the first has committed. docs/concurrency.md lists every write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import AccountEntry, AccountEntryKind, PaymentMethod, StaffMember
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import ValidationError
from desk.services.core.ids import MemberId
from desk.services.core.money import MAX_CENTS
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.validation import MAX_TEXT, clean_text
from desk.services.people.members import load_member, lock_member
from desk.services.records import audit
from desk.services.selling.fee_links import fee_links
from desk.services.selling.sales_views import AccountEntryView, ChargeResult


def balance_of(session: Session, member_id: int) -> int:
    """The account balance as this transaction sees it (no lock: for reads only)."""
    total = session.scalar(
        select(func.coalesce(func.sum(AccountEntry.amount_cents), 0)).where(
            AccountEntry.member_id == member_id
        )
    )
    return int(total or 0)


def locked_balance(session: Session, member_id: int) -> int:
    """Lock the member's account for the rest of the transaction, then its balance.

    Call it before reading a balance that decides what is written: the lock is
    the member's row (``lock_member``), so a second desk charging the same
    member waits for the first to commit and then sums the entries afresh.
    Raises NotFound.
    """
    lock_member(session, member_id)
    return balance_of(session, member_id)


def post_entry(
    session: Session,
    *,
    member_id: int,
    kind: AccountEntryKind,
    amount_cents: int,
    at: datetime,
    actor: Actor,
    note: str,
    lot_id: int | None = None,
    method: PaymentMethod | None = None,
) -> int:
    """Add a payment, credit or refund entry under the account lock; the new balance.

    ``amount_cents`` carries the entry's sign (positive for payments and credit);
    a payment says how it was received (``method``, default cash), other kinds
    carry none. Raises NotFound.
    """
    if kind is AccountEntryKind.PAYMENT:
        method = PaymentMethod(method or PaymentMethod.CASH)
    else:
        method = None
    before = locked_balance(session, member_id)
    session.add(
        AccountEntry(
            member_id=member_id,
            kind=kind,
            amount_cents=amount_cents,
            at=at,
            by_id=actor.staff_id,
            note=note,
            lot_id=lot_id,
            method=method,
        )
    )
    return before + amount_cents


def post_charge(
    session: Session,
    *,
    member_id: int,
    amount_cents: int,
    at: datetime,
    actor: Actor,
    note: str,
    lot_id: int | None = None,
    billing_period_id: int | None = None,
    idempotency_key: str | None = None,
) -> ChargeResult:
    """Charge the account inside the caller's transaction; credit pays first.

    The balance is read under the account lock (``locked_balance``), so credit
    that a concurrent charge spent is never spent again. Raises NotFound.
    """
    before = locked_balance(session, member_id)
    if amount_cents > 0:
        session.add(
            AccountEntry(
                member_id=member_id,
                kind=AccountEntryKind.CHARGE,
                amount_cents=-amount_cents,
                at=at,
                by_id=actor.staff_id,
                note=note,
                lot_id=lot_id,
                billing_period_id=billing_period_id,
                idempotency_key=idempotency_key,
            )
        )
    available = max(before, 0)
    from_credit = min(available, amount_cents)
    after = before - amount_cents
    return ChargeResult(
        charged_cents=amount_cents,
        paid_from_credit_cents=from_credit,
        owed_cents=amount_cents - from_credit,
        balance_after_cents=after,
    )


RECORDABLE_METHODS = tuple(m for m in PaymentMethod if m is not PaymentMethod.UNKNOWN)


def payment_method(method: PaymentMethod | str) -> PaymentMethod:
    """``method`` as a PaymentMethod one can record ("unknown" is for old rows only).
    Raises ValidationError for any other text."""
    try:
        chosen = PaymentMethod(method)
    except ValueError:
        chosen = PaymentMethod.UNKNOWN
    if chosen is PaymentMethod.UNKNOWN:
        known = ", ".join(m.value for m in RECORDABLE_METHODS)
        raise ValidationError("method", f"Say how it was paid: {known}.")
    return chosen


def _amount(amount_cents: int) -> int:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise ValidationError("amount", "The amount must be a whole number of cents.")
    if not 0 < amount_cents <= MAX_CENTS:
        raise ValidationError("amount", "Enter an amount above $0.00.")
    return amount_cents


class AccountService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def balance(self, member_id: MemberId) -> int:
        """Cents on the account: positive is credit, negative is owed. Raises NotFound."""
        with self._db.read() as session:
            load_member(session, member_id)
            return balance_of(session, member_id)

    def entries(self, member_id: MemberId) -> list[AccountEntryView]:
        """Every money movement, newest first. Raises NotFound."""
        with self._db.read() as session:
            load_member(session, member_id)
            rows = session.execute(
                select(AccountEntry, StaffMember.name)
                .outerjoin(StaffMember, StaffMember.id == AccountEntry.by_id)
                .where(AccountEntry.member_id == member_id)
                .order_by(AccountEntry.at.desc(), AccountEntry.id.desc())
            )
            found = list(rows)
            links = fee_links(session, [e for e, _by in found])
            return [
                AccountEntryView(
                    e.id, e.kind, e.amount_cents, e.currency, e.at, by, e.note, links.get(e.id)
                )
                for e, by in found
            ]

    @retry_transient
    def add_credit(
        self, member_id: MemberId, amount_cents: int, *, note: str, actor: Actor
    ) -> Outcome[int]:
        """Put credit on the account (a goodwill credit, a prepayment). Returns the
        new balance. Raises ValidationError for an amount <= 0 or no note, NotFound."""
        return self._post(
            member_id,
            AccountEntryKind.CREDIT,
            _amount(amount_cents),
            note,
            actor,
            Permission.ACCOUNT_CREDIT,
        )

    @retry_transient
    def record_payment(
        self,
        member_id: MemberId,
        amount_cents: int,
        *,
        note: str = "",
        method: PaymentMethod | str = PaymentMethod.CASH,
        actor: Actor,
    ) -> Outcome[int]:
        """Record money received by ``method`` (cash, card, transfer, other). Returns
        the new balance. Raises ValidationError for an amount <= 0 or an unknown
        method, NotFound."""
        return self._post(
            member_id,
            AccountEntryKind.PAYMENT,
            _amount(amount_cents),
            note,
            actor,
            Permission.TAKE_PAYMENT,
            payment_method(method),
        )

    @retry_transient
    def charge(
        self, member_id: MemberId, amount_cents: int, *, note: str, actor: Actor
    ) -> Outcome[ChargeResult]:
        """Post a charge; account credit pays it first, the rest is owed.

        Raises ValidationError for an amount <= 0 or no note, NotFound.
        """
        amount = _amount(amount_cents)
        text = clean_text(note, "note", max_length=MAX_TEXT)
        if not text:
            raise ValidationError("note", "Say what the charge is for.")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.BILLING) as session:
            load_member(session, member_id)
            result = post_charge(
                session, member_id=member_id, amount_cents=amount, at=now, actor=actor, note=text
            )
            audit.record(
                session,
                at=now,
                actor=actor,
                action="account.charge",
                entity="member",
                entity_id=member_id,
                member_id=member_id,
                after={
                    "amount_cents": amount,
                    "note": text,
                    "balance_after_cents": result.balance_after_cents,
                },
            )
        return Outcome(result, Changes.of(members=[member_id]))

    def _post(
        self,
        member_id: int,
        kind: AccountEntryKind,
        amount: int,
        note: str,
        actor: Actor,
        permission: Permission,
        method: PaymentMethod | None = None,
    ) -> Outcome[int]:
        text = clean_text(note, "note", max_length=MAX_TEXT)
        # Account credit is money given away: it always says why.
        if permission is Permission.ACCOUNT_CREDIT and not text:
            raise ValidationError("note", "Say why the member gets this credit.")
        now = self._clock.now()
        with authorized(self._db, actor, permission) as session:
            load_member(session, member_id)
            after = post_entry(
                session,
                member_id=member_id,
                kind=kind,
                amount_cents=amount,
                at=now,
                actor=actor,
                note=text,
                method=method,
            )
            audit.record(
                session,
                at=now,
                actor=actor,
                action=f"account.{kind}",
                entity="member",
                entity_id=member_id,
                member_id=member_id,
                after={"amount_cents": amount, "note": text, "balance_cents": after}
                | ({"method": method.value} if method is not None else {}),
            )
        return Outcome(after, Changes.of(members=[member_id]))
