"""The model the ledger state machine (test_ledger_invariants.py) checks the services
against: lots, appointments and types as they should be, on the machine's own database."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.migrated import migrated_sqlite

GYM_TZ = ZoneInfo("America/New_York")
START = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
MEMBERS = 3
STAFF = 2
USED = {AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW, AppointmentStatus.LATE_CANCELLED}
FORGIVABLE = {AppointmentStatus.NO_SHOW, AppointmentStatus.LATE_CANCELLED}
BUSY = {AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW}


@dataclass
class Lot:
    id: int
    member: int
    kind: int
    expires_on: date | None
    remaining: int
    expired: int = 0
    first_use_days: int | None = None  # valid N days from first use (issue 18, item 6)
    pool: int | None = None  # a shared pool's lot (``member`` is the buyer)
    voided: bool = False


@dataclass
class Appt:
    id: int
    member: int
    kind: int
    staff: int
    starts_at: datetime
    ends_at: datetime
    lot: int | None  # None: booked unpaid, owing a credit (ledger_unpaid_rules.py)
    status: AppointmentStatus
    forgiven: bool = False


@dataclass
class Hold:
    """A member's hold as the model sees it: its days and each lot's applied shift."""

    id: int
    member: int
    starts_on: date
    last_day: date
    lots: dict[int, int]
    cancelled: bool = False


@dataclass(frozen=True)
class Kind:
    id: int
    duration: timedelta
    late_cancel: timedelta


class LedgerModel(RuleBasedStateMachine):
    """The machine's database and its model of what the ledger holds; the rules and
    invariants are LedgerMachine's."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="desk-ledger-"))
        self.db = migrated_sqlite(self.folder / "desk.sqlite3")
        self.clock = FixedClock(START, GYM_TZ)
        self.services = Services.build(self.db, self.clock)
        self.kinds = [
            self._make_kind("Personal training", 60, 24),
            self._make_kind("Massage", 30, 2),
        ]
        self.staff = [
            self.services.staff.create(name=f"Coach {i}", actor=SYSTEM).value.id
            for i in range(STAFF)
        ]
        self.members = [
            self.services.members.create(
                first_name="Member", last_name=str(i), actor=SYSTEM
            ).value.id
            for i in range(MEMBERS)
        ]
        self.lots: dict[int, Lot] = {}
        self.appts: dict[int, Appt] = {}
        self.granted: dict[tuple[int, int], int] = {}
        self.adjusted: dict[tuple[int, int], int] = {}
        self.keys: dict[str, int] = {}
        self.holds: dict[int, Hold] = {}
        # The shared pool (ledger_pool_rules.py): its id, who is in it now, its grants.
        self.pool: int | None = None
        self.in_pool: set[int] = set()
        self.pool_granted: dict[int, int] = {}
        self.pool_adjusted: dict[int, int] = {}

    def _make_kind(self, name: str, minutes: int, late_hours: int) -> Kind:
        view = self.services.appointment_types.create(
            name=name, duration_minutes=minutes, late_cancel_hours=late_hours, actor=SYSTEM
        ).value
        return Kind(view.id, timedelta(minutes=minutes), timedelta(hours=late_hours))

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- the model ------------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.clock.now().astimezone(GYM_TZ).date()

    def _is_expired(self, lot: Lot) -> bool:
        return lot.expires_on is not None and lot.expires_on < self.today

    def _held(self, member: int, on: date) -> bool:
        """The member is on hold on ``on`` (booking then is refused)."""
        return any(
            h.member == member and not h.cancelled and h.starts_on <= on <= h.last_day
            for h in self.holds.values()
        )

    def _usable(self, member: int, kind: int, on: date, *, pools: bool = True) -> list[Lot]:
        """Lots the member may pay from, in paying order: own first, then the pool's."""
        lots = [
            lot
            for lot in self.lots.values()
            if (
                (lot.pool is None and lot.member == member)
                or (pools and lot.pool is not None and member in self.in_pool)
            )
            and lot.kind == kind
            and lot.remaining > 0
            and (lot.expires_on is None or lot.expires_on >= on)
        ]
        # Dated lots first (soonest first), then lots waiting for their first use
        # (shorter validity first), never-expiring ones last; the older lot on a tie.
        return sorted(
            lots,
            key=lambda lot: (
                lot.pool is not None,
                2 if lot.expires_on is None and lot.first_use_days is None else
                1 if lot.expires_on is None else 0,
                lot.expires_on or date.min, lot.first_use_days or 0, lot.id,
            ),
        )  # fmt: skip

    def _new_lot(self, member: int, kind: int, quantity: int, expires_on: date | None,
                 first_use_days: int | None = None, pool: int | None = None) -> Lot:  # fmt: skip
        lot = Lot(len(self.lots) + 1, member, kind, expires_on, quantity, pool=pool)
        lot.first_use_days = first_use_days
        self.lots[lot.id] = lot
        return lot

    @staticmethod
    def _first_use(lot: Lot, day: date) -> None:
        """A booking took a credit of ``lot`` for a session on ``day``: a lot waiting
        for its first use expires ``first_use_days`` after it."""
        if lot.expires_on is None and lot.first_use_days is not None:
            lot.expires_on = day + timedelta(days=lot.first_use_days)

    def _pick(self, data: st.DataObject, *, started: bool = False) -> Appt:
        """Mostly a booked appointment (the interesting case), sometimes any."""
        now = self.clock.now()
        booked = [
            i
            for i, a in self.appts.items()
            if a.status == AppointmentStatus.BOOKED and (not started or a.starts_at <= now)
        ]
        pool = booked if booked and data.draw(st.integers(0, 4), label="booked?") else self.appts
        return self.appts[data.draw(st.sampled_from(sorted(pool)), label="appointment")]
