"""Helpers of the series tests (their gym is the ``setup`` fixture in conftest.py)."""

from __future__ import annotations

from datetime import date, datetime

from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import LotView
from tests.actors import SYSTEM
from tests.conftest import GYM_TZ

Setup = tuple[Services, MemberId, AppointmentTypeId, StaffId, StaffId]


def grant(
    services: Services,
    member: MemberId,
    kind: AppointmentTypeId,
    quantity: int,
    expires_on: date | None = None,
) -> LotView:
    return services.credits.add_credits(
        member_id=member,
        appointment_type_id=kind,
        quantity=quantity,
        expires_on=expires_on,
        actor=SYSTEM,
    ).value


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=GYM_TZ)
