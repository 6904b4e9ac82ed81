"""What every ``desk`` command shares: its usage error, one-line failures, dates and tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from typing import TextIO


class UsageError(Exception):
    """Bad command-line input; the message says which argument and why."""


def _fail(message: str) -> int:
    print(f"desk: error: {message}", file=sys.stderr)
    return 1


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} takes a date like 2026-12-31, not {text!r}") from None


def _table(
    out: TextIO, header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None
) -> None:
    right = right or set()
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    print(line(header), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)
