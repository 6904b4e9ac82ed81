"""What every ``desk`` command shares: its usage error, one-line failures, dates and tables."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TextIO


class UsageError(Exception):
    """Bad command-line input; the message says which argument and why."""


def lazy_choices(action: argparse.Action, load: Callable[[], Iterable[str]]) -> None:
    """Give an option the choices ``load`` returns, read on first use (a value to check,
    the help to show), not when the parser is built.

    The parser is built for every command, ``desk --version`` too, and these lists live
    in modules that load the database layer, which only the command that runs needs.
    Set after ``add_argument``: it reads the choices (to check the metavar) when given.
    """
    action.choices = LazyChoices(load)


class LazyChoices(Sequence[str]):
    """Choices read from ``load`` when first asked for (see lazy_choices)."""

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self._values: tuple[str, ...] | None = None

    def _all(self) -> tuple[str, ...]:
        if self._values is None:
            self._values = tuple(self._load())
        return self._values

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __contains__(self, value: object) -> bool:
        return value in self._all()


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
