"""How a long-running desk asks Python's garbage collector to behave."""

from __future__ import annotations

import gc


def freeze_long_lived_objects() -> None:
    """Collect once, then move every object alive now out of the collector's sight.

    A full collection walks every tracked object. Once Desk is up that is ~90,000
    of them (modules, the ORM's mappings, Qt wrappers of the open window), and each
    full pass took ~50 ms in the middle of whatever the person was doing: opening a
    heavy profile measured ~84 ms, ~135 ms whenever one ran. Frozen objects are not
    scanned again (and not freed by the collector: they live for the session anyway);
    later objects are collected as before. Raises nothing.
    """
    gc.collect()
    gc.freeze()
