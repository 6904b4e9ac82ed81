"""What the credit tests read back: row counts, a balance row, what lots hold, sums agreeing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from desk.db import Database
from desk.models import AuditEvent, CreditEntry, CreditLot
from desk.services.container import Services
from desk.services.core.ids import MemberId
from desk.services.core.read_models import BalanceRow, MemberView

TODAY = date(2026, 3, 4)


def row_counts(database: Database) -> tuple[int, int, int]:
    """(lots, entries, audit events) in the file."""
    with database.read() as session:
        return (
            session.scalar(select(func.count(CreditLot.id))) or 0,
            session.scalar(select(func.count(CreditEntry.id))) or 0,
            session.scalar(select(func.count(AuditEvent.id))) or 0,
        )


def balance(services: Services, member: MemberView, type_id: int) -> BalanceRow:
    rows = [
        r
        for r in services.credits.balances(MemberId(member.id))
        if r.appointment_type_id == type_id
    ]
    assert len(rows) == 1
    return rows[0]


def assert_balances_add_up(services: Services, member: MemberView) -> None:
    for row in services.credits.balances(MemberId(member.id)):
        assert row.open + row.booked + row.used + row.expired == row.granted + row.adjusted, row


def remaining(services: Services, member: MemberView) -> dict[int, int]:
    lots = services.credits.lots(MemberId(member.id), include_expired=True)
    return {lot.id: lot.remaining for lot in lots}
