"""The small gym of tests/data/ (import_gym.py) as a fixture."""

from __future__ import annotations

import pytest

from desk.services.container import Services
from tests.services.importing.import_gym import Gym, seed_gym


@pytest.fixture
def gym(services: Services) -> Gym:
    return seed_gym(services)
