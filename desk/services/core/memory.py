"""Letting go of big in-memory work a slice at a time.

An import of 100,000 rows holds about a million small objects (cells, parsed
rows, the member directory). Dropped at once when the import returns, CPython
frees them in one C-level cascade that never lets another thread run: the GUI
thread stalled 55-70 ms right after a 100k-row import committed. Emptied a
slice at a time, the interpreter can hand the GIL over between slices.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

STEP = 2_000


def let_go(*containers: list[Any] | dict[Any, Any] | set[Any]) -> None:
    """Empty each container in slices of ``STEP`` items, last items first."""
    for container in containers:
        if isinstance(container, list):
            while container:
                del container[-STEP:]
        elif isinstance(container, dict):
            while container:
                for key in list(islice(container, STEP)):
                    del container[key]
        else:
            while container:
                for _ in range(min(STEP, len(container))):
                    container.pop()
