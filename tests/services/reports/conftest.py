from __future__ import annotations

import pytest

from desk.services.container import Services
from desk.services.core.clock import FixedClock
from tests.services.reports.small_gym import SmallGym, build_small_gym


@pytest.fixture
def gym(services: Services, clock: FixedClock) -> SmallGym:
    return build_small_gym(services, clock)
