"""A demo member's credit history: lots, their ledger entries, and the appointments
that used them, built as rows the way the services would write them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from desk.models import AppointmentStatus, EntryKind, LotSource, MemberStatus
from desk.services.core.clock import Clock
from desk.services.records.demo_data import OPEN_HOURS
from desk.services.records.demo_hours import DemoSchedule


@dataclass
class DemoIds:
    lot: int = 0
    entry: int = 0
    appointment: int = 0


class DemoHistory:
    """The credits part of DemoGenerator."""

    _schedule: DemoSchedule
    _clock: Clock
    _starts: dict[tuple[date, int], datetime]

    def _credits(
        self,
        rng: random.Random,
        member: dict[str, Any],
        types: list[tuple[int, int, int, int]],
        coaches: list[int],
        busy: set[tuple[int, datetime]],
        ids: DemoIds,
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
        """A free (coach, start) on ``day`` at a whole local hour inside the coach's hours,
        or None after a few tries."""
        for _ in range(16):
            key = (day, rng.choice(OPEN_HOURS))
            start = self._starts.get(key)
            if start is None:
                local = datetime.combine(day, time(key[1]), tzinfo=self._clock.tz)
                start = self._starts[key] = local.astimezone(UTC)
            coach = rng.choice(coaches)
            if (coach, start) not in busy and self._schedule.works(coach, day, key[1]):
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
