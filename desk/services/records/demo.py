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
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Date, Table, func, insert, select
from sqlalchemy.orm import Session

from desk.db import Database
from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    AuditEvent,
    CreditEntry,
    CreditLot,
    EntryKind,
    LotSource,
    Member,
    MemberStatus,
    StaffMember,
    StaffRole,
)
from desk.models.base import UTCDateTime
from desk.services.core.clock import Clock, today
from desk.services.core.errors import InvalidState, ValidationError
from desk.services.credits import ledger

MAX_DEMO_MEMBERS = 1_000_000
_CHUNK = 20_000

FIRST_NAMES = (
    "Ann Anna Andre Aaliyah Aiden Alejandro Amara Amelia Aria Ava Beatriz Ben Bianca Caleb "
    "Camila Carlos Charlotte Chen Chloe Daniel Daria David Diego Dmitri Elena Eli Elif Emma "
    "Ethan Fatima Felix Freya Gabriel Grace Hana Harper Hiro Ibrahim Isabella Isaac Ivy Jack "
    "James Jasmine Javier Jo Joan John Jonah Jose Julia Kai Kenji Khadija Laila Leo Liam Lina "
    "Lucas Lucia Luis Maya Mei Mia Miguel Mila Mohammed Nadia Naomi Noah Nora Olivia Omar "
    "Oscar Priya Rafael Rahul Rosa Ruby Sam Sara Sebastian Sofia Sophie Tariq Theo Valentina "
    "Victor Wei William Yara Yusuf Zara Zoë Søren Chloé José André Zoé Ingrid Mateo Aisha"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Kim Park Chen Wang Singh Patel Khan Ali Müller Schmidt Schneider Fischer Weber "
    "Rossi Russo Ferrari Dubois Moreau Laurent Silva Santos Oliveira Costa Pereira Novak "
    "Kowalski Nowak Ivanova Petrov Yilmaz Kaya Cohen Levi Murphy Kelly O'Brien Byrne "
    "Andersson Johansson Larsen Jensen Nielsen Hansen Tanaka Suzuki Sato Watanabe Okafor "
    "Mensah Haddad Nasser Mendoza Castillo Vargas Romero"
).split()
TYPES = (
    # name, minutes, color, price, late-cancel hours
    ("Personal Training 60", 60, "#3b82f6", 8500, 24),
    ("Personal Training 30", 30, "#06b6d4", 5000, 24),
    ("Sports Massage", 60, "#a855f7", 9000, 48),
    ("Physio Assessment", 45, "#f97316", 11000, 24),
    ("Small Group PT", 60, "#22c55e", 3500, 12),
    ("Nutrition Consult", 30, "#eab308", 6000, 24),
)
STAFF_NAMES = (
    "Kim Alvarez Jordan Reyes Sam Okoye Priya Nair Marco Bianchi Lena Vogel Tom Becker "
    "Ines Duarte Ravi Menon Alex Carter Maya Lind Noor Haddad"
).split()
OPEN_HOURS = range(6, 21)


@dataclass(frozen=True)
class DemoSummary:
    members: int
    staff: int
    appointment_types: int
    lots: int
    entries: int
    appointments: int


@dataclass
class _Ids:
    lot: int = 0
    entry: int = 0
    appointment: int = 0


class DemoGenerator:
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
            ids = _Ids(
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
            row = StaffMember(name=name, role=role.value, active=True)
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

    def _credits(
        self,
        rng: random.Random,
        member: dict[str, Any],
        types: list[tuple[int, int, int, int]],
        coaches: list[int],
        busy: set[tuple[int, datetime]],
        ids: _Ids,
        now: datetime,
        on: date,
        lots: list[dict[str, Any]],
        entries: list[dict[str, Any]],
        appts: list[dict[str, Any]],
    ) -> None:
        for _ in range(rng.choices((0, 1, 2, 3, 4, 5), weights=(8, 20, 30, 22, 12, 8))[0]):
            type_id, minutes, price, _late = rng.choice(types)
            source = rng.choices(
                (LotSource.PACKAGE, LotSource.PLAN, LotSource.MIGRATION, LotSource.MANUAL),
                weights=(50, 20, 20, 10),
            )[0]
            quantity = rng.choice((1, 5, 5, 10, 10, 20))
            created = max(member["created_at"], now - timedelta(days=rng.randint(0, 500)))
            created_on = created.date()
            expires: date | None = None
            if rng.random() < 0.7:
                expires = created_on + timedelta(days=rng.choice((30, 90, 180, 365)))
            price_cents = {
                LotSource.PACKAGE: price * quantity * 9 // 10,
                LotSource.PLAN: price * quantity * 8 // 10,
            }.get(source, 0)
            ids.lot += 1
            lot_id = ids.lot
            remaining = quantity
            lot_entries: list[dict[str, Any]] = []

            def entry(
                kind: EntryKind,
                delta: int,
                at: datetime,
                appt: int | None = None,
                reason: str = "",
                lot: int = lot_id,
                out: list[dict[str, Any]] = lot_entries,
            ) -> None:
                ids.entry += 1
                out.append(
                    {
                        "id": ids.entry,
                        "lot_id": lot,
                        "kind": kind.value,
                        "delta": delta,
                        "at": at,
                        "by_id": None,
                        "reason": reason,
                        "appointment_id": appt,
                        "idempotency_key": None,
                    }
                )

            note = {
                LotSource.MIGRATION: "Migrated from previous system",
                LotSource.MANUAL: "Complimentary",
            }.get(source, "")
            entry(EntryKind.GRANT, quantity, created, reason=note)
            last_day = min(expires or on, on - timedelta(days=1))
            past_days = (last_day - created_on).days
            used = rng.randint(0, quantity) if past_days > 0 else 0
            for _u in range(used):
                day = created_on + timedelta(days=rng.randint(1, past_days))
                start = self._slot(rng, day, coaches, busy)
                if start is None:
                    continue
                coach, starts_at = start
                status = rng.choices(
                    (
                        AppointmentStatus.ATTENDED,
                        AppointmentStatus.NO_SHOW,
                        AppointmentStatus.LATE_CANCELLED,
                        AppointmentStatus.CANCELLED,
                    ),
                    weights=(78, 7, 6, 9),
                )[0]
                booked_at = max(created, starts_at - timedelta(days=rng.randint(1, 10)))
                ids.appointment += 1
                appt_id = ids.appointment
                appts.append(
                    self._appt(
                        appt_id,
                        member,
                        type_id,
                        coach,
                        starts_at,
                        minutes,
                        status,
                        lot_id,
                        booked_at,
                    )
                )
                entry(EntryKind.BOOK, -1, booked_at, appt_id)
                remaining -= 1
                if status == AppointmentStatus.CANCELLED:
                    entry(EntryKind.RELEASE, 1, booked_at + timedelta(hours=1), appt_id)
                    remaining += 1
                elif status in (AppointmentStatus.NO_SHOW, AppointmentStatus.LATE_CANCELLED):
                    reason = "no-show" if status == AppointmentStatus.NO_SHOW else "late cancel"
                    entry(EntryKind.FORFEIT, 0, starts_at, appt_id, reason)
            still_valid = expires is None or expires >= on
            if still_valid and remaining > 0 and member["status"] == MemberStatus.ACTIVE.value:
                horizon = min((expires - on).days if expires else 60, 60)
                for _f in range(rng.randint(0, min(remaining, 3))):
                    day = on + timedelta(days=rng.randint(1, max(1, horizon)))
                    start = self._slot(rng, day, coaches, busy)
                    if start is None:
                        continue
                    coach, starts_at = start
                    ids.appointment += 1
                    appts.append(
                        self._appt(
                            ids.appointment,
                            member,
                            type_id,
                            coach,
                            starts_at,
                            minutes,
                            AppointmentStatus.BOOKED,
                            lot_id,
                            now,
                        )
                    )
                    entry(EntryKind.BOOK, -1, now, ids.appointment)
                    remaining -= 1
            if not still_valid and remaining > 0 and expires is not None:
                expired_at = datetime.combine(expires + timedelta(days=1), time(5, 0), tzinfo=UTC)
                entry(EntryKind.EXPIRE, -remaining, expired_at, reason="expired")
                remaining = 0
            lots.append(
                {
                    "id": lot_id,
                    "member_id": member["id"],
                    "appointment_type_id": type_id,
                    "quantity": quantity,
                    "source": source.value,
                    "price_cents": price_cents,
                    "currency": "USD",
                    "expires_on": expires,
                    "created_at": created,
                    "created_by_id": None,
                    "note": note,
                    "import_batch": None,
                }
            )
            entries.extend(lot_entries)

    def _slot(
        self, rng: random.Random, day: date, coaches: list[int], busy: set[tuple[int, datetime]]
    ) -> tuple[int, datetime] | None:
        """A free (coach, start) on ``day`` at a whole local hour, or None after a few tries."""
        for _ in range(8):
            key = (day, rng.choice(OPEN_HOURS))
            start = self._starts.get(key)
            if start is None:
                local = datetime.combine(day, time(key[1]), tzinfo=self._clock.tz)
                start = self._starts[key] = local.astimezone(UTC)
            coach = rng.choice(coaches)
            if (coach, start) not in busy:
                busy.add((coach, start))
                return coach, start
        return None

    @staticmethod
    def _appt(
        appt_id: int,
        member: dict[str, Any],
        type_id: int,
        coach: int,
        starts_at: datetime,
        minutes: int,
        status: AppointmentStatus,
        lot_id: int,
        booked_at: datetime,
    ) -> dict[str, Any]:
        finished = status != AppointmentStatus.BOOKED
        return {
            "id": appt_id,
            "member_id": member["id"],
            "appointment_type_id": type_id,
            "staff_id": coach,
            "starts_at": starts_at,
            # Whole-hour slots with sessions of an hour or less never overlap.
            "ends_at": starts_at + timedelta(minutes=minutes),
            "status": status.value,
            "lot_id": lot_id,
            "series_id": None,
            "notes": "",
            "created_at": booked_at,
            "created_by_id": None,
            "status_changed_at": starts_at + timedelta(minutes=minutes) if finished else None,
            "status_changed_by_id": None,
            "status_reason": "",
        }


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
