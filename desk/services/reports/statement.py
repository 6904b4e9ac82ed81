"""The member statement: what a member takes home, gathered from the services' own reads."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from desk.services.core.clock import today
from desk.services.core.ids import MemberId
from desk.services.core.read_models import AppointmentView, HistoryRow, MemberView
from desk.services.selling.fees import FeeView, statement_fees

if TYPE_CHECKING:
    from desk.services.container import Services

HISTORY_DAYS = 90


@dataclass(frozen=True, slots=True)
class StatementCredits:
    """Open credits of one type and when the soonest of them expire."""

    appointment_type: str
    open: int
    expires: tuple[tuple[date | None, int], ...]
    """(expiry date or None for never, credits) soonest first."""


@dataclass(frozen=True, slots=True)
class Statement:
    gym_name: str
    logo_png: bytes | None
    on: date
    made_at: datetime
    member: MemberView
    credits: tuple[StatementCredits, ...]
    coming_up: tuple[AppointmentView, ...]
    history: tuple[HistoryRow, ...]
    history_from: date
    balance_cents: int
    fees: tuple[FeeView, ...] = ()
    """Late-cancel and no-show fees charged in the history's days, or still open."""


def gather_statement(services: Services, member_id: MemberId) -> Statement:
    """Everything on a member's statement, as of now: the gym's name and logo, open
    credits per type with their expiry, booked sessions to come, the last 90 days
    of history and the account balance. Raises NotFound for an unknown member."""
    member = services.members.get(member_id)
    general = services.settings.general()
    on = today(services.clock)
    per_type: dict[str, dict[date | None, int]] = defaultdict(lambda: defaultdict(int))
    for lot in services.credits.lots(member_id):
        per_type[lot.appointment_type][lot.expires_on] += lot.remaining
    credits = tuple(
        StatementCredits(
            name,
            sum(expiries.values()),
            tuple(sorted(expiries.items(), key=lambda e: (e[0] is None, e[0] or date.max))),
        )
        for name, expiries in sorted(per_type.items(), key=lambda item: item[0].lower())
    )
    since = on - timedelta(days=HISTORY_DAYS)
    history = tuple(
        row for row in services.credits.history(member_id)
        if row.at.astimezone(services.clock.tz).date() >= since
    )  # fmt: skip
    return Statement(
        gym_name=general.name,
        logo_png=general.logo_png,
        on=on,
        made_at=services.clock.now(),
        member=member,
        credits=credits,
        coming_up=tuple(services.booking.for_member(member_id, upcoming_only=True, limit=20)),
        history=history,
        history_from=since,
        balance_cents=services.account.balance(member_id),
        fees=statement_fees(services.fees.fees(member_id), since, services.clock.tz),
    )
