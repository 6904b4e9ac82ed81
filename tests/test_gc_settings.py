"""The collector settings a running desk applies once its window is up."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from desk.gc_settings import freeze_long_lived_objects


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_objects_alive_at_the_freeze_are_no_longer_scanned(unfrozen: None) -> None:
    survivor = [object() for _ in range(1_000)]
    assert gc.get_freeze_count() == 0
    freeze_long_lived_objects()
    assert gc.get_freeze_count() >= len(survivor)
    assert not any(item is survivor for item in gc.get_objects())


def test_garbage_is_collected_before_the_freeze(unfrozen: None) -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    gc.disable()  # so that only the function's own collection can free the cycle
    try:
        cycle = Node()
        alive = weakref.ref(cycle)
        del cycle
        assert alive() is not None
        freeze_long_lived_objects()
        assert alive() is None  # freed, not frozen for the rest of the session
    finally:
        gc.enable()
