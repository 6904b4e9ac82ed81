"""Screenshots of a credit's later life (undo, unpaid bookings, fees, holds, shared
pools), taken by make_screenshots.py in the order its gym's story needs: the undo
shots come before the plans' (which change the member they show)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from screenshot_fees import shoot_fees
from screenshot_holds import shoot_holds
from screenshot_pools import shoot_pools
from screenshot_undo import shoot_undo
from screenshot_unpaid import shoot_unpaid


def add_first_use_package(catalog: Any, type_id: int, owner: Any) -> None:
    """A package valid from first use: its lots get their expiry when first booked."""
    catalog.save_package(
        name="PT 30 - 5 sessions, from first use", appointment_type_id=type_id, credits=5,
        price_cents=24000, validity_days=None, first_use_days=60, actor=owner,
    )  # fmt: skip


def shoot_credit_items(
    camera: Any, window: Any, width: int, height: int, shoot_plans: Callable[[Any, Any], None]
) -> None:
    """Undo, then the plans (``shoot_plans``), then unpaid, fees, holds and pools."""
    shoot_undo(camera, window, width, height)
    shoot_plans(camera, window)
    shoot_unpaid(camera, window)
    shoot_fees(camera, window)
    shoot_holds(camera, window, (min(width, 1200), min(height, 800)))
    shoot_pools(camera, window)
