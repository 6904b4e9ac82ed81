"""What a member's profile shows, fetched in one go on the runner's read worker."""

from __future__ import annotations

from dataclasses import dataclass, field

from desk.services.container import Services
from desk.services.core.ids import MemberId
from desk.services.core.read_models import (
    AppointmentView,
    BalanceRow,
    HistoryRow,
    LotView,
    MemberView,
)
from desk.services.credits.paying_order_reads import PayingLotView
from desk.services.selling.sales_views import AccountEntryView, SubscriptionView


@dataclass(frozen=True)
class ProfileData:
    member: MemberView
    balances: list[BalanceRow]
    lots: list[LotView]
    upcoming: list[AppointmentView]
    history: list[HistoryRow]
    account_balance: int
    account_entries: list[AccountEntryView]
    plans: list[SubscriptionView]
    paying_order: list[PayingLotView] = field(default_factory=list)
    owing: list[AppointmentView] = field(default_factory=list)
    """Bookings made unpaid that still owe a credit (book now, pay later)."""


def fetch_profile(services: Services, member_id: MemberId, *, include_expired: bool) -> ProfileData:
    """Every read of the profile (no widget: this runs off the GUI thread). Raises
    NotFound when the member is gone."""
    return ProfileData(
        member=services.members.get(member_id),
        balances=services.credits.balances(member_id),
        lots=services.credits.lots(member_id, include_expired=include_expired),
        upcoming=services.booking.for_member(member_id, upcoming_only=True, limit=50),
        history=services.credits.history(member_id),
        account_balance=services.account.balance(member_id),
        account_entries=services.account.entries(member_id),
        plans=services.sales.subscriptions(member_id),
        paying_order=services.credits.paying_order(member_id),
        owing=services.unpaid.owing(member_id),
    )
