"""let_go empties big containers a slice at a time (so other threads get the GIL)."""

from __future__ import annotations

from desk.services.core.memory import STEP, let_go


def test_every_kind_of_container_ends_empty():
    items = list(range(STEP * 3 + 7))
    table = {str(i): [i] for i in range(STEP * 2 + 1)}
    seen = {(str(i), "x") for i in range(STEP + 3)}
    let_go(items, table, seen)
    assert (items, table, seen) == ([], {}, set())


def test_an_empty_container_is_fine():
    let_go([], {}, set())
