"""A catalog of one package and one plan, for the selling tests."""

from __future__ import annotations

import pytest

from tests.actors import SYSTEM


@pytest.fixture
def catalog(desk_staff, gym):
    """(the "10 PT" package, the "Monthly PT" plan)."""
    services = desk_staff.services
    package = services.catalog.save_package(
        name="10 PT",
        appointment_type_id=gym["pt"],
        credits=10,
        price_cents=85_000,
        validity_days=365,
        actor=SYSTEM,
    ).value
    plan = services.catalog.save_plan(
        name="Monthly PT",
        period="month",
        billing_day=1,
        price_cents=25_000,
        credits=[(gym["pt"], 4)],
        actor=SYSTEM,
    ).value
    return package, plan
