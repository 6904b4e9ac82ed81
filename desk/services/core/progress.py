"""How long work reports how far it got and learns that the person cancelled it."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called now and then from the worker thread."""
Cancelled = Callable[[], bool]
"""``cancelled()``: true once the person asked to stop."""
