"""The small gym the import fixture files in tests/data/ were "exported" against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from desk.db import Database
from desk.models import AppointmentType, CreditEntry, CreditLot, ImportBatch, Member
from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId
from tests.actors import SYSTEM

DATA = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Gym:
    zoe: int
    ben: int
    liam: int
    ann: int
    annie: int
    types: dict[str, int]


def seed_gym(services: Services) -> Gym:
    """Three types and five members, two of them called Ann Smith."""
    types = {
        name: services.appointment_types.create(
            name=name, duration_minutes=60, actor=SYSTEM
        ).value.id
        for name in ("Personal Training 60", "Sports Massage", "Small Group PT")
    }

    def member(first: str, last: str, email: str, external_id: str | None = None) -> int:
        return services.members.create(
            first_name=first, last_name=last, email=email, external_id=external_id, actor=SYSTEM
        ).value.id

    return Gym(
        zoe=member("Zoë", "Müller", "zoe.muller@example.com"),
        ben=member("Ben", "Okafor", "ben.okafor@example.com", "PP-1002"),
        liam=member("Liam", "O'Brien", "liam@example.com", "MB-100"),
        ann=member("Ann", "Smith", "ann.smith@example.com"),
        annie=member("Ann", "Smith", "annie.s@example.com"),
        types=types,
    )


def counts(database: Database) -> dict[str, int]:
    """Rows in the tables an import writes."""
    with database.read() as session:
        return {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (
                ("members", Member),
                ("types", AppointmentType),
                ("lots", CreditLot),
                ("entries", CreditEntry),
                ("batches", ImportBatch),
            )
        }


def open_credits(services: Services, member_id: int, type_id: int) -> int:
    return services.credits.open_credits(MemberId(member_id), AppointmentTypeId(type_id))
