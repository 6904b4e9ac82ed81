"""A believable demo gym: types, staff, members, credit lots and appointments.

Rows are written in bulk (one transaction, executemany) because per-member
service calls would take many minutes at 100,000 members. The generator builds
the ledger exactly as the services would (grant, book, release, forfeit,
expire entries, with ``remaining`` = their sum), and the tests reconcile it.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Date, Table, func, insert, select, text
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentType,
    AuditEvent,
    CreditEntry,
    CreditLot,
    Member,
    MemberStatus,
    StaffMember,
    StaffRole,
)
from desk.models.base import UTCDateTime
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.credits import ledger
from desk.services.records.demo_data import FIRST_NAMES, LAST_NAMES, STAFF_NAMES, TYPES
from desk.services.records.demo_groups import add_group_sessions
from desk.services.records.demo_history import DemoHistory, DemoIds
from desk.services.records.demo_hours import DemoSchedule

MAX_DEMO_MEMBERS = 1_000_000
_CHUNK = 20_000


@dataclass(frozen=True)
class DemoSummary:
    members: int
    staff: int
    appointment_types: int
    lots: int
    entries: int
    appointments: int


class DemoGenerator(DemoHistory):
    """Fills an empty database with a deterministic demo gym."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._starts: dict[tuple[date, int], datetime] = {}

    def generate(
        self,
        *,
        members: int = 200,
        seed: int = 1,
        progress: Callable[[int, int], None] | None = None,
    ) -> DemoSummary:
        """Write the demo gym in one transaction.

        The same ``seed`` and day give the same gym. ``progress(done, total)`` is
        called as members are written. Raises ValidationError for a member count
        outside 1..1,000,000 and InvalidState when the database already has
        members (a demo never mixes with real data).
        """
        if isinstance(members, bool) or not 1 <= members <= MAX_DEMO_MEMBERS:
            raise ValidationError("members", f"Choose 1 to {MAX_DEMO_MEMBERS:,} members.")
        rng = random.Random(seed)
        now = self._clock.now().replace(microsecond=0)
        on = today(self._clock)
        with self._db.write() as session:
            existing = session.scalar(select(func.count(Member.id))) or 0
            if existing:
                raise InvalidState(
                    f"This database already has {existing:,} members; a demo needs an empty one "
                    "(use --database with a new file)."
                )
            if session.get_bind().dialect.name == "sqlite":
                # Index pages of a million-row load stay in memory instead of
                # being re-read from disk (per connection; restored below).
                session.connection().exec_driver_sql("PRAGMA cache_size=-262144")
            types = self._types(session)
            staff = self._staff(session, members)
            coaches = [sid for sid, role in staff if role == StaffRole.COACH.value]
            self._schedule = DemoSchedule(coaches, on)
            self._schedule.write(session)
            ids = DemoIds(
                lot=(session.scalar(select(func.max(CreditLot.id))) or 0),
                entry=(session.scalar(select(func.max(CreditEntry.id))) or 0),
                appointment=(session.scalar(select(func.max(Appointment.id))) or 0),
            )
            busy: set[tuple[int, datetime]] = set()
            totals = [0, 0, 0]
            done = 0
            for batch in _chunks(members, _CHUNK):
                member_rows = [self._member(rng, n, now) for n in batch]
                _bulk_insert(session, Member, member_rows)
                lots: list[dict[str, Any]] = []
                entries: list[dict[str, Any]] = []
                appts: list[dict[str, Any]] = []
                for member in member_rows:
                    self._credits(
                        rng, member, types, coaches, busy, ids, now, on, lots, entries, appts
                    )
                ledger.write_history(session, lots, appts, entries, insert=_insert_slices)
                totals[0] += len(lots)
                totals[1] += len(entries)
                totals[2] += len(appts)
                done += len(batch)
                if progress is not None:
                    progress(done, members)
            session.add(
                AuditEvent(
                    at=now,
                    actor_id=None,
                    action="demo.generate",
                    entity="database",
                    entity_id=None,
                    member_id=None,
                    after={"members": members, "seed": seed},
                )
            )
            _advance_sequences(session, (CreditLot, CreditEntry, Appointment, Member))
            totals[2] += add_group_sessions(
                session, self._clock, rng, coaches, busy, on, works=self._schedule.works
            )
        return DemoSummary(members, len(staff), len(types), *totals)

    # --- catalog ---------------------------------------------------------------------------

    @staticmethod
    def _types(session: Session) -> list[tuple[int, int, int, int]]:
        """(id, minutes, price, late-cancel hours) per demo type."""
        result = []
        for name, minutes, color, price, late in TYPES:
            row = AppointmentType(
                name=name,
                duration_minutes=minutes,
                color=color,
                default_price_cents=price,
                currency="USD",
                late_cancel_hours=late,
                active=True,
            )
            session.add(row)
            session.flush()
            result.append((row.id, minutes, price, late))
        return result

    @staticmethod
    def _staff(session: Session, members: int) -> list[tuple[int, str]]:
        # Enough coaches that the demo calendar can hold every appointment without
        # double-booking anyone: about one coach per 400 members.
        coaches = max(4, members // 400)
        people = [("Dana Whitfield", StaffRole.OWNER), ("Robin Ames", StaffRole.FRONT_DESK)]
        pairs = list(zip(STAFF_NAMES[::2], STAFF_NAMES[1::2], strict=True))
        for n in range(coaches):
            first, last = pairs[n % len(pairs)]
            suffix = "" if n < len(pairs) else f" {n // len(pairs) + 1}"
            people.append((f"{first} {last}{suffix}", StaffRole.COACH))
        result = []
        for name, role in people:
            row = StaffMember(
                name=name, role=role.value, active=True, takes_bookings=role == StaffRole.COACH
            )
            session.add(row)
            session.flush()
            result.append((row.id, row.role))
        return result

    # --- members and their credits ----------------------------------------------------------

    @staticmethod
    def _member(rng: random.Random, n: int, now: datetime) -> dict[str, Any]:
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        created = now - timedelta(days=rng.randint(1, 3 * 365), minutes=rng.randint(0, 1440))
        email = None
        if rng.random() < 0.92:
            # Mailboxes are ASCII in practice: "Zoë Müller" -> zoe.muller.
            plain = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
            local = plain.decode().lower().replace("'", "").replace(" ", "")
            email = f"{local}{n}@example.com"
        phone = digits = None
        if rng.random() < 0.88:
            area, mid, end = rng.randint(200, 989), rng.randint(200, 999), rng.randint(0, 9999)
            phone = f"({area}) {mid}-{end:04d}"
            digits = f"{area}{mid}{end:04d}"
        return {
            "id": n,
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": phone,
            "phone_digits": digits,
            "notes": rng.choice(("", "", "", "Prefers mornings", "Knee injury 2025, go easy")),
            "status": MemberStatus.ARCHIVED.value
            if rng.random() < 0.05
            else MemberStatus.ACTIVE.value,
            "external_id": f"MB-{n:07d}" if rng.random() < 0.3 else None,
            "created_at": created,
            "updated_at": created,
        }


def _advance_sequences(session: Session, models: tuple[type[Any], ...]) -> None:
    """PostgreSQL hands out ids from a sequence that rows inserted with their own ids
    don't move: without this the first new member or booking after a demo clashes."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = cast(Table, model.__table__).name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def _insert_slices(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    for part in _slices(rows, _CHUNK):
        _bulk_insert(session, model, part)


def _bulk_insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """executemany of plain rows; on SQLite straight to the driver.

    SQLAlchemy's per-value bind processing costs more than SQLite's own insert at
    this volume, so on SQLite the values are rendered here exactly as
    SQLAlchemy stores them (naive UTC "YYYY-MM-DD HH:MM:SS.ffffff", ISO dates).
    """
    if not rows:
        return
    table = cast(Table, model.__table__)
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    timestamps = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, UTCDateTime)]
    dates = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, Date)]
    values: list[tuple[Any, ...]] = []
    for row in rows:
        record = list(row.values())
        for i in timestamps:
            if record[i] is not None:
                record[i] = _sqlite_timestamp(record[i])
        for i in dates:
            if record[i] is not None:
                record[i] = record[i].isoformat()
        values.append(tuple(record))
    connection.exec_driver_sql(sql, values)


def _sqlite_timestamp(value: datetime) -> str:
    if value.utcoffset():
        value = value.astimezone(UTC)
    # isoformat is C code and far cheaper than strftime at millions of values.
    return value.isoformat(sep=" ", timespec="microseconds")[:26]


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(1, total + 1, size):
        yield range(start, min(start + size, total + 1))


def _slices(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
