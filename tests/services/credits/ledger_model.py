"""The model the ledger state machine (test_ledger_invariants.py) checks the services
against: lots, appointments and types as they should be, on the machine's own database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant

from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM
from tests.services.credits.ledger_databases import MachineDatabases, Opening, SqliteDatabases

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

    def __init__(self, databases: MachineDatabases | None = None) -> None:
        super().__init__()
        # A fresh database per example, copied from one that holds the opening below.
        self.databases = databases or sqlite_databases()
        self.db = self.databases.new()
        self.clock = opening_clock()
        self.services = Services.build(self.db, self.clock)
        opening = self.databases.opening()
        self.kinds = list(opening.kinds)
        self.staff = list(opening.staff)
        self.members = list(opening.members)
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
        return make_kind(self.services, name, minutes, late_hours)

    def teardown(self) -> None:
        self.databases.drop(self.db)

    @invariant()
    def _count_step(self) -> None:
        """Not a check: counts the steps whose invariants ran (after every step)."""
        self.databases.steps += 1

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
                lot.expires_on or date.min,
                # Validity breaks ties only among lots still waiting for their first use:
                # a first-use lot that has its date is a dated lot like any other.
                (lot.first_use_days or 0) if lot.expires_on is None else 0,
                lot.id,
            ),
        )  # fmt: skip

    def _new_lot(self, member: int, kind: int, quantity: int, expires_on: date | None,
                 first_use_days: int | None = None, pool: int | None = None) -> Lot:  # fmt: skip
        lot = Lot(len(self.lots) + 1, member, kind, expires_on, quantity, pool=pool)
        lot.first_use_days = first_use_days
        self.lots[lot.id] = lot
        return lot

    def _settle(self, member: int, kind: int) -> None:
        """Credits of the type reached the member: their unpaid bookings are paid
        (ledger_unpaid_rules models it; nothing without that item)."""

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


# --- the opening, made once per process and backend (ledger_databases.py) --------------


def opening_clock() -> FixedClock:
    return FixedClock(START, GYM_TZ)


def make_kind(services: Services, name: str, minutes: int, late_hours: int) -> Kind:
    view = services.appointment_types.create(
        name=name, duration_minutes=minutes, late_cancel_hours=late_hours, actor=SYSTEM
    ).value
    return Kind(view.id, timedelta(minutes=minutes), timedelta(hours=late_hours))


def opening_writes(services: Services) -> Opening:
    """Two appointment types, STAFF coaches and MEMBERS members."""
    kinds = (
        make_kind(services, "Personal training", 60, 24),
        make_kind(services, "Massage", 30, 2),
    )
    staff = tuple(
        services.staff.create(name=f"Coach {i}", actor=SYSTEM).value.id for i in range(STAFF)
    )
    members = tuple(
        services.members.create(first_name="Member", last_name=str(i), actor=SYSTEM).value.id
        for i in range(MEMBERS)
    )
    return Opening(kinds, staff, members)


_sqlite: SqliteDatabases | None = None


def sqlite_databases() -> SqliteDatabases:
    """This process's SQLite databases for the machine (its opening made on first use)."""
    global _sqlite
    if _sqlite is None:
        _sqlite = SqliteDatabases(opening_clock, opening_writes)
    return _sqlite
